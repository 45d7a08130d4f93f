"""ONNX Runtime inference for a sentence-transformers model (transformer + mean pooling), without torch.

The transformer is exported once from the packaged model folder (offline) and, for the int8 variant,
dynamically quantised; the files are cached under a key of the model folder's
identity and the tool versions, and written atomically so a crash or a concurrent process never leaves a
half file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexing.filelock import file_lock

log = logging.getLogger(__name__)

# Bump when the export or quantisation recipe changes: old cache entries are then ignored.
RECIPE_VERSION = 2
OPSET = 17
_SUPPORTED_MODULES = {
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
}
# An export is accepted when its hidden states match torch's this closely (fp32 runs agree to ~1e-6).
_EXPORT_TOLERANCE = 1e-4
_SAMPLE_TEXTS = ["What is the usual dose of ibuprofen for adults?", "华法林与阿司匹林合用会增加出血风险吗？", ""]


class OnnxUnavailableError(RuntimeError):
    """The ONNX path cannot serve this model here (missing package, unsupported layout, failed export)."""


@dataclass(frozen=True)
class ModelLayout:
    """What the ONNX path needs to know about a sentence-transformers folder."""

    max_seq_length: int
    lowercase: bool
    dims: int


def read_layout(model_dir: Path) -> ModelLayout:
    """The folder's sequence length, casing and width; raises for anything but transformer + mean pooling."""
    modules_file = model_dir / "modules.json"
    if modules_file.is_file():
        kinds = {m["type"] for m in json.loads(modules_file.read_text(encoding="utf-8"))}
        if not kinds <= _SUPPORTED_MODULES:
            raise OnnxUnavailableError(f"modules {sorted(kinds - _SUPPORTED_MODULES)} have no ONNX path")
    pooling = _read_json(model_dir / "1_Pooling" / "config.json")
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    if pooling and modes != {"pooling_mode_mean_tokens"}:
        raise OnnxUnavailableError(f"pooling {sorted(modes)} is not mean pooling")
    if not (model_dir / "tokenizer.json").is_file():
        raise OnnxUnavailableError(f"{model_dir} has no tokenizer.json (fast tokenizer)")
    sbert = _read_json(model_dir / "sentence_bert_config.json")
    config = _read_json(model_dir / "config.json")
    return ModelLayout(
        max_seq_length=int(sbert.get("max_seq_length") or config.get("max_position_embeddings", 512)),
        lowercase=bool(sbert.get("do_lower_case", False)),
        dims=int(pooling.get("word_embedding_dimension") or config["hidden_size"]),
    )


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# ---------------------------------------------------------------------------------------------- cache


def cache_folder(model_dir: Path, cache_dir: Path) -> Path:
    """<cache_dir>/<model name>-<key>: the key changes with the model folder, its files' sizes and times, the
    tool versions and the recipe, so a new model or a new torch/onnxruntime never reuses an old export."""
    h = hashlib.sha256(f"recipe={RECIPE_VERSION};opset={OPSET};dir={model_dir.resolve()}".encode())
    for name in ("config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json"):
        f = model_dir / name
        if f.is_file():
            st = f.stat()
            h.update(f";{name}={st.st_size}:{st.st_mtime_ns}".encode())
    for dist in ("torch", "transformers", "onnx", "onnxruntime"):
        h.update(f";{dist}={_version(dist)}".encode())
    # packaged models sit in a folder called "model"; the package's name says more
    name = model_dir.parent.name if model_dir.name == "model" else model_dir.name
    return cache_dir / f"{name}-{h.hexdigest()[:16]}"


def cached_model_path(model_dir: Path, cache_dir: Path, quantized: bool) -> Path:
    return cache_folder(model_dir, cache_dir) / ("model.int8.onnx" if quantized else "model.onnx")


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def ensure_model_file(model_dir: Path, cache_dir: Path, quantized: bool) -> Path:
    """The cached ONNX file, exported (and quantised) first when it is not there yet."""
    target = cached_model_path(model_dir, cache_dir, quantized)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(target.parent / ".lock"):  # concurrent start-ups export once
        if target.is_file():  # another process made it while we waited for the lock
            return target
        fp32 = cached_model_path(model_dir, cache_dir, quantized=False)
        if not fp32.is_file():
            log.info("exporting %s to ONNX (once) -> %s", model_dir.name, fp32)
            _write_atomically(fp32, lambda tmp: export_fp32(model_dir, tmp))
        if quantized:
            log.info("quantising %s to int8 (once) -> %s", fp32.name, target)
            _write_atomically(target, lambda tmp: quantize_int8(fp32, tmp))
    return target


def discard(path: Path) -> None:
    """Remove a cache file that failed to load, so the next ensure_model_file rebuilds it."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


# ---------------------------------------------------------------------------------------------- export


def export_fp32(model_dir: Path, out: Path) -> None:
    """torch.onnx.export of the transformer with dynamic batch and sequence axes; raises OnnxUnavailableError
    when the exported graph does not reproduce torch's hidden states on a padded batch."""
    try:
        import torch
        from transformers import AutoModel
    except ImportError as exc:
        raise OnnxUnavailableError(f"exporting needs torch and transformers: {exc}") from exc
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    feeds = _sample_feeds(model_dir)
    with torch.no_grad():
        expected = model(**{k: torch.from_numpy(v) for k, v in feeds.items()}).last_hidden_state.numpy()
    _torch_export(model, feeds, out)
    if _max_diff(out, feeds, expected) > _EXPORT_TOLERANCE:
        raise OnnxUnavailableError("the ONNX export does not reproduce the torch model")


def _sample_feeds(model_dir: Path) -> dict[str, np.ndarray]:
    """Two texts of different lengths plus an empty one, padded: exercises the mask and the dynamic axes."""
    tokenizer = load_tokenizer(model_dir, 64)
    arrays = _pad(tokenizer.encode_batch(_SAMPLE_TEXTS), pad_id=_pad_id(model_dir))
    return {"input_ids": arrays[0], "attention_mask": arrays[1], "token_type_ids": arrays[2]}


def _torch_export(model: Any, feeds: dict[str, np.ndarray], out: Path) -> None:
    import torch

    class _Hidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    names = list(feeds)
    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]}
    args = tuple(torch.from_numpy(feeds[n]) for n in names)
    kwargs: dict[str, Any] = {"dynamo": False} if _has_dynamo_flag() else {}
    # TracerWarnings about data-dependent branches in transformers' mask code: the traced graph is checked
    # against torch on padded inputs afterwards (_max_diff), which is what matters.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Hidden(model), args, str(out), input_names=names, output_names=["last_hidden_state"],
            dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True, **kwargs,
        )


def _has_dynamo_flag() -> bool:
    import inspect

    import torch

    return "dynamo" in inspect.signature(torch.onnx.export).parameters


def _max_diff(model_file: Path, feeds: dict[str, np.ndarray], expected: np.ndarray) -> float:
    session = new_session(model_file, threads=1)
    got = session.run(None, feeds)[0]
    mask = feeds["attention_mask"].astype(bool)
    return float(np.abs(got[mask] - expected[mask]).max())


def quantize_int8(src: Path, out: Path) -> None:
    """Dynamic int8 quantisation, per output channel (per-tensor loses far more: cosine to fp32 ~0.90)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _quiet_root_logger():
        quantize_dynamic(str(src), str(out), weight_type=QuantType.QInt8, per_channel=True)


@contextlib.contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """The quantiser logs a line per tensor (and a generic advice warning) straight to the root logger."""
    root = logging.getLogger()
    drop = logging.Filter("__nothing__")  # a named filter passes only records of that logger: none here
    root.addFilter(drop)
    try:
        yield
    finally:
        root.removeFilter(drop)


# ---------------------------------------------------------------------------------------------- inference


def new_session(model_file: Path, threads: int | None, providers: Sequence[Any] = ("CPUExecutionProvider",)) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or 0  # 0: ONNX Runtime's default (one per physical core)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(model_file), options, providers=list(providers))


def load_tokenizer(model_dir: Path, max_length: int) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.no_padding()  # padded per batch, after sorting by length
    return tokenizer


def _pad_id(model_dir: Path) -> int:
    from tokenizers import Tokenizer

    padding = Tokenizer.from_file(str(model_dir / "tokenizer.json")).padding
    if padding is not None:
        return int(padding["pad_id"])
    return int(_read_json(model_dir / "config.json").get("pad_token_id") or 0)


def _pad(encodings: Sequence[Any], pad_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """input_ids, attention_mask, token_type_ids padded to the longest of the batch."""
    width = max(len(e.ids) for e in encodings)
    ids = np.full((len(encodings), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(encodings), width), dtype=np.int64)
    types = np.zeros((len(encodings), width), dtype=np.int64)
    for row, e in enumerate(encodings):
        n = len(e.ids)
        ids[row, :n] = e.ids
        mask[row, :n] = 1
        types[row, :n] = e.type_ids
    return ids, mask, types


class OnnxEncoder:
    """Tokenise (fast tokenizer), run the transformer in ONNX Runtime, mean-pool, L2-normalise.

    Thread-safe: InferenceSession.run and the tokenizer's encode may be called concurrently.
    """

    def __init__(
        self,
        model_dir: Path,
        model_file: Path,
        threads: int | None,
        providers: Sequence[Any] = ("CPUExecutionProvider",),
    ) -> None:
        self.layout = read_layout(model_dir)
        self.model_file = model_file
        self.session = new_session(model_file, threads, providers)
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.tokenizer = load_tokenizer(model_dir, self.layout.max_seq_length)
        self.pad_id = _pad_id(model_dir)
        self.dims = self.layout.dims

    def encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        if self.layout.lowercase:
            texts = [t.lower() for t in texts]
        if len(texts) == 1:
            return self._embed([self.tokenizer.encode(texts[0])])
        encodings = self.tokenizer.encode_batch(list(texts))
        # Longest first, as sentence-transformers does: batches of similar length waste little on padding.
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        out = np.empty((len(texts), self.dims), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._embed([encodings[i] for i in rows])
        return out

    def _embed(self, encodings: Sequence[Any]) -> np.ndarray:
        ids, mask, types = _pad(encodings, self.pad_id)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self.input_names})[0]
        weights = mask.astype(np.float32)
        summed = np.einsum("bsh,bs->bh", hidden, weights)
        pooled = summed / np.clip(weights.sum(axis=1, keepdims=True), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.ascontiguousarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)
