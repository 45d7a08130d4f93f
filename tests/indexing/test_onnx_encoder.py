"""The ONNX Runtime encoder path: same vectors as torch (fp32), close ones (int8), cached export, fallbacks."""

from __future__ import annotations

import json
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from indexing import embed, onnx_encoder
from indexing.embed import Encoder, resolve_model_path
from indexing.onnx_encoder import cached_model_path, load_tokenizer

pytest.importorskip("onnxruntime")
pytestmark = pytest.mark.slow  # one export (~10 s on 2 cores) per module, plus one re-export

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "medicines_mini.jsonl"
MODEL_DIR = resolve_model_path("all-MiniLM-L6-v2")


def _texts() -> list[str]:
    labels = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    sections = [text for m in labels for text in m["sections"].values()]
    questions = [
        "What is the maximum daily dose of acetaminophen?",
        "Can I take ibuprofen with warfarin?",
        "Is metformin safe during pregnancy?",
        "side effects of lisinopril",
        "How should insulin glargine be stored after opening?",
        "my child has a fever, how much paracetamol?",
        "Does omeprazole interact with clopidogrel?",
        "  leading and trailing spaces  ",
        "",
        "华法林与阿司匹林合用会增加出血风险吗？",
        "布洛芬的用法用量是什么",
        "二甲双胍的不良反应有哪些",
        "孕妇可以服用对乙酰氨基酚吗",
        "阿莫西林 过敏 禁忌",
    ]
    long_text = " ".join(sections[:6])  # well past 256 word pieces: exercises truncation
    return [*questions, *sections[:15], long_text]


TEXTS = _texts()


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="module")
def onnx_fp32(onnx_cache: Path) -> Encoder:
    enc = Encoder(backend="onnx", cache_dir=onnx_cache, threads=1)
    enc.encode_query("load")
    return enc


@pytest.fixture(scope="module")
def onnx_int8(onnx_cache: Path, onnx_fp32: Encoder) -> Encoder:
    return Encoder(backend="onnx-int8", cache_dir=onnx_cache, threads=1)


@pytest.fixture(scope="module")
def torch_vectors(encoder: Encoder) -> np.ndarray:
    return encoder.encode(TEXTS)


def test_long_text_exceeds_the_sequence_limit() -> None:
    assert len(load_tokenizer(MODEL_DIR, 10_000).encode(TEXTS[-1]).ids) > 256


def test_fp32_matches_torch(onnx_fp32: Encoder, encoder: Encoder, torch_vectors: np.ndarray) -> None:
    vecs = onnx_fp32.encode(TEXTS)
    assert onnx_fp32.backend_in_use == "onnx"
    assert vecs.dtype == np.float32 and vecs.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert float((vecs * torch_vectors).sum(axis=1).min()) >= 0.9999
    assert onnx_fp32.model_id == encoder.model_id == "all-MiniLM-L6-v2"
    assert onnx_fp32.dims == 384


def test_int8_is_close_and_has_its_own_model_id(onnx_int8: Encoder, torch_vectors: np.ndarray) -> None:
    vecs = np.vstack([onnx_int8.encode_query(t) for t in TEXTS])
    assert onnx_int8.backend_in_use == "onnx-int8"
    assert float((vecs * torch_vectors).sum(axis=1).min()) >= 0.97
    assert onnx_int8.model_id == "all-MiniLM-L6-v2+int8"


def test_order_preserved_for_mixed_lengths(onnx_fp32: Encoder) -> None:
    one_by_one = np.vstack([onnx_fp32.encode_query(t) for t in TEXTS])
    small_batches = Encoder(backend="onnx", cache_dir=onnx_fp32.cache_dir, batch_size=4)
    assert np.allclose(small_batches.encode(TEXTS), one_by_one, atol=1e-5)
    order = np.random.default_rng(0).permutation(len(TEXTS))
    assert np.allclose(onnx_fp32.encode([TEXTS[i] for i in order]), one_by_one[order], atol=1e-5)


def test_empty_input(onnx_fp32: Encoder) -> None:
    out = onnx_fp32.encode([])
    assert out.shape == (0, 384) and out.dtype == np.float32


def test_concurrent_queries_agree(onnx_fp32: Encoder) -> None:
    expected = [onnx_fp32.encode_query(t) for t in TEXTS[:12]]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(onnx_fp32.encode_query, TEXTS[:12] * 3))
    for i, vec in enumerate(got):
        assert np.allclose(vec, expected[i % 12], atol=1e-6)


def test_export_cache_is_reused(onnx_cache: Path, onnx_int8: Encoder, monkeypatch: pytest.MonkeyPatch) -> None:
    onnx_int8.encode_query("make sure the int8 file exists")
    files = [cached_model_path(MODEL_DIR, onnx_cache, q) for q in (False, True)]
    stamps = [f.stat().st_mtime_ns for f in files]
    calls: list[str] = []
    monkeypatch.setattr(onnx_encoder, "export_fp32", lambda *a: calls.append("export"))
    monkeypatch.setattr(onnx_encoder, "quantize_int8", lambda *a: calls.append("quantize"))
    for backend in ("onnx", "onnx-int8"):
        enc = Encoder(backend=backend, cache_dir=onnx_cache)  # type: ignore[arg-type]
        enc.encode_query("again")
        assert enc.backend_in_use == backend
    assert calls == []
    assert [f.stat().st_mtime_ns for f in files] == stamps
    # atomic writes leave nothing else behind
    assert sorted(p.name for p in files[0].parent.iterdir()) == [".lock", "model.int8.onnx", "model.onnx"]


def test_broken_cache_file_is_replaced(
    onnx_cache: Path, onnx_fp32: Encoder, tmp_path: Path, torch_vectors: np.ndarray
) -> None:
    good = cached_model_path(MODEL_DIR, onnx_cache, quantized=False).read_bytes()
    broken = cached_model_path(MODEL_DIR, tmp_path, quantized=False)
    broken.parent.mkdir(parents=True)
    broken.write_bytes(good[: len(good) // 2])  # a torn copy
    enc = Encoder(backend="onnx", cache_dir=tmp_path)
    vecs = enc.encode(TEXTS[:5])
    assert enc.backend_in_use == "onnx"
    assert broken.stat().st_size == len(good)
    assert float((vecs * torch_vectors[:5]).sum(axis=1).min()) >= 0.9999


def test_falls_back_to_torch_without_onnxruntime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, torch_vectors: np.ndarray
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # `import onnxruntime` raises ImportError
    monkeypatch.setattr(embed, "_warned", set())
    monkeypatch.setattr(embed, "_onnx_failed", set())
    enc = Encoder(backend="onnx-int8", cache_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="indexing.embed"):
        vecs = enc.encode(TEXTS[:3])
        Encoder(backend="onnx-int8", cache_dir=tmp_path).encode_query("a second encoder warns no more")
    assert enc.backend_in_use == "torch"
    assert enc.model_id == "all-MiniLM-L6-v2"  # torch vectors: the plain id, never "+int8"
    assert np.allclose(vecs, torch_vectors[:3], atol=1e-5)
    assert sum("using torch" in r.getMessage() for r in caplog.records) == 1
    assert not any(tmp_path.iterdir())


def test_failed_export_falls_back_to_torch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Path] = []

    def fail(model_dir: Path, out: Path) -> None:
        attempts.append(out)
        out.write_bytes(b"half a file")
        raise RuntimeError("exporter crashed")

    monkeypatch.setattr(onnx_encoder, "export_fp32", fail)
    monkeypatch.setattr(embed, "_onnx_failed", set())
    enc = Encoder(backend="onnx", cache_dir=tmp_path)
    assert enc.encode_query("still answers").shape == (384,)
    assert enc.backend_in_use == "torch"
    Encoder(backend="onnx", cache_dir=tmp_path).encode_query("no second export in this process")
    assert len(attempts) == 1
    assert not cached_model_path(MODEL_DIR, tmp_path, quantized=False).exists()
    assert [p.name for p in cached_model_path(MODEL_DIR, tmp_path, False).parent.iterdir()] == [".lock"]


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="backend"):
        Encoder(backend="tensorrt")  # type: ignore[arg-type]


def test_cuda_uses_torch_unless_onnxruntime_has_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    import onnxruntime

    enc = Encoder(backend="onnx")
    enc.device = "cuda:1"
    monkeypatch.setattr(onnxruntime, "get_available_providers", lambda: ["CPUExecutionProvider"])
    assert enc._onnx_providers() is None
    with_cuda = ["CUDAExecutionProvider", "CPUExecutionProvider"]
    monkeypatch.setattr(onnxruntime, "get_available_providers", lambda: with_cuda)
    assert enc._onnx_providers() == [("CUDAExecutionProvider", {"device_id": 1}), "CPUExecutionProvider"]
    enc.device = "cpu"
    assert enc._onnx_providers() == ["CPUExecutionProvider"]
