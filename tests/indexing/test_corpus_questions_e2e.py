"""The shipped corpus answers the questions that used to end in no_evidence, from the right section, over the
real server: a small corpus cut from corpora/medicines.jsonl (its chunks are in corpora/medicines.vectors.npz,
so nothing is encoded), served by `clinqa serve` on 127.0.0.1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from bench.server import free_port, running_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "corpora" / "medicines.jsonl"
VECTORS = ROOT / "corpora" / "medicines.vectors.npz"
# medicines asked about, and a few neighbours so that retrieval has something to tell apart
KEEP = ("rosuvastatin", "meloxicam", "metoprolol", "oxycodone-hydrochloride", "prednisone", "atorvastatin",
        "ibuprofen", "naproxen", "warfarin")  # fmt: skip
QUESTIONS = [
    ("rosuvastatin side effects", "rosuvastatin", "adverse_reactions"),
    ("what does meloxicam look like", "meloxicam", "dosage_forms"),
    ("does metoprolol come in colours", "metoprolol", "dosage_forms"),
    ("how long is oxycodone good after it expires", "oxycodone-hydrochloride", "storage"),
    # an old-format label: its lactation section is the warnings' sentence on nursing mothers
    ("can I breastfeed on prednisone", "prednisone", "lactation"),
]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SHIPPED.is_file() or not VECTORS.is_file():
        pytest.skip("the shipped corpus or its vectors are absent")
    out = tmp_path_factory.mktemp("corpus") / "medicines.jsonl"
    with SHIPPED.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if json.loads(line)["id"] in KEEP:
                dst.write(line)
    return out


def test_questions_answered_from_the_right_section(small_corpus: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update(
        {
            "CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}",
            "CLINQA_INDEX_DIR": str(tmp_path / "index"),
            "CLINQA_CORPUS": str(small_corpus),
            "CLINQA_VECTOR_CACHES": json.dumps([str(VECTORS)]),
            "CLINQA_VECTOR_CACHE_OUT": "null",
            "HF_HUB_OFFLINE": "1",
        }
    )
    with running_server(env, free_port(), timeout=300) as base:
        ready = httpx.get(f"{base}/readyz", timeout=10).json()
        assert ready["index"]["retrieval"] == "hybrid", ready  # every chunk came from the shipped vectors
        for question, medicine, attribute in QUESTIONS:
            r = httpx.post(f"{base}/v1/chat", json={"message": question}, timeout=120)
            assert r.status_code == 200, r.text
            body = r.json()
            cited = {(c["medicine_id"], c["attribute"]) for c in body["citations"]}
            assert (medicine, attribute) in cited, (question, body["queries"], cited)
