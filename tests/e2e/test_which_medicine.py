""""Which medicine treats X?" over the real server (`clinqa serve` on 127.0.0.1), on a cut of the shipped
corpus (its chunks are in corpora/medicines.vectors.npz, so nothing is encoded): several medicines, each
cited from its indications; nothing listed, and no label quoted, when no indications name the condition."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.server import free_port, running_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "corpora" / "medicines.jsonl"
VECTORS = ROOT / "corpora" / "medicines.vectors.npz"
HEARTBURN = {"ranitidine", "omeprazole", "famotidine", "dexlansoprazole", "vonoprazan-fumarate", "lansoprazole"}
KEEP = HEARTBURN | {"warfarin", "metformin", "ibuprofen", "lisinopril"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not SHIPPED.is_file() or not VECTORS.is_file():
        pytest.skip("the shipped corpus or its vectors are absent")
    tmp = tmp_path_factory.mktemp("which_medicine")
    corpus = tmp / "medicines.jsonl"
    labels: dict[str, str] = {}
    with SHIPPED.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as dst:
        for line in src:
            row = json.loads(line)
            if row["id"] in KEEP:
                dst.write(line)
                labels[row["id"]] = row["sections"].get("indications", "")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({
        "CLINQA_DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
        "CLINQA_INDEX_DIR": str(tmp / "index"),
        "CLINQA_CORPUS": str(corpus),
        "CLINQA_VECTOR_CACHES": json.dumps([str(VECTORS)]),
        "CLINQA_VECTOR_CACHE_OUT": "null",
        "HF_HUB_OFFLINE": "1",
    })
    with running_server(env, free_port(), timeout=300) as url:
        yield url


def _chat(base: str, message: str) -> dict[str, Any]:
    r = httpx.post(f"{base}/v1/chat", json={"message": message}, timeout=60)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_what_can_i_take_for_heartburn(base: str) -> None:
    body = _chat(base, "what can I take for heartburn?")
    assert body["status"] == "answered"
    cited = [c["medicine_id"] for c in body["citations"]]
    assert len(set(cited)) >= 3, body
    assert set(cited) <= HEARTBURN  # never warfarin, metformin, ibuprofen or lisinopril
    assert all(c["attribute"] == "indications" for c in body["citations"])
    # each quote names heartburn or what labels call it (app.pipeline.indication_search.LAY_TERMS)
    assert all(any(w in c["quote"].casefold() for w in ("heartburn", "acid indigestion", "gastroesophageal reflux"))
               for c in body["citations"]), json.dumps(body["citations"])
    assert body["answer"].startswith("Medicines in the database indicated for heartburn: ")
    for n in range(1, len(cited) + 1):
        assert f"[{n}]" in body["answer"]


def test_chinese_which_medicine_question_reaches_the_english_labels(base: str) -> None:
    body = _chat(base, "什么药治胃酸过多？")
    assert body["status"] == "answered"
    assert {c["medicine_id"] for c in body["citations"]} <= HEARTBURN
    assert len(body["citations"]) >= 2
    assert body["answer"].startswith("数据库中适应症提到“胃酸过多”的药品：")


def test_no_indications_name_it_no_label_quoted(base: str) -> None:
    body = _chat(base, "what medicine can I take for zorblax syndrome?")
    assert body["status"] == "no_evidence"
    assert body["citations"] == []
    plain = _chat(base, "headache for three days")
    assert plain["citations"] == []
