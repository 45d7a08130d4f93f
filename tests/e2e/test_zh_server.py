"""Chinese questions about the shipped (English) database over the real server (issue 19): a Chinese name
reaches the English label through the generic-name table, the answer is framed in Chinese and quotes the
label in English, a medicine the database lacks is said to be missing, in Chinese."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from bench.server import free_port, running_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_CORPUS = ROOT / "corpora" / "medicines.jsonl"
SHIPPED_VECTORS = ROOT / "corpora" / "medicines.vectors.npz"
# The shipped labels of the medicines the questions name (and a few others, so names must be told apart).
MEDICINES = ("amoxicillin", "amoxicillin-and-clavulanate-potassium", "metformin", "warfarin", "aspirin", "ibuprofen",
             "atorvastatin", "omeprazole", "clopidogrel", "acetaminophen", "levothyroxine", "nifedipine")


@pytest.fixture(scope="module")
def shipped_subset_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped database's own entries for these medicines, indexed with the shipped vector cache."""
    if not SHIPPED_CORPUS.is_file():
        pytest.skip("corpora/medicines.jsonl is absent")
    from indexing.build import BuildOptions, build_index

    root = tmp_path_factory.mktemp("zh-e2e")
    corpus = root / "medicines.jsonl"
    with SHIPPED_CORPUS.open(encoding="utf-8") as fh:
        lines = [line for line in fh if json.loads(line)["id"] in MEDICINES]
    assert len(lines) == len(MEDICINES)
    corpus.write_text("".join(lines), encoding="utf-8")
    caches = [SHIPPED_VECTORS] if SHIPPED_VECTORS.is_file() else []
    build_index(corpus, BuildOptions(index_dir=root / "index", progress=False, vector_caches=caches))
    return corpus, root / "index"


@pytest.fixture(scope="module")
def base(shipped_subset_index: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    corpus, index_dir = shipped_subset_index
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({
        "CLINQA_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('zh-db') / 'e2e.db'}",
        "CLINQA_INDEX_DIR": str(index_dir),
        "CLINQA_CORPUS": str(corpus),
        "CLINQA_VECTOR_CACHES": "[]",
        "HF_HUB_OFFLINE": "1",
    })
    with running_server(env, free_port()) as url:
        yield url


def _chat(base: str, message: str, conversation: str | None = None) -> dict:  # type: ignore[type-arg]
    body = {"message": message, **({"conversation_id": conversation} if conversation else {})}
    r = httpx.post(f"{base}/v1/chat", json=body, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_chinese_dosage_question_reaches_the_english_label(base: str) -> None:
    answer = _chat(base, "阿莫西林一天吃几次？")
    assert answer["status"] == "answered"
    assert answer["queries"][0]["medicine"] == "amoxicillin"
    assert ("amoxicillin", "dosage") in {(c["medicine_id"], c["attribute"]) for c in answer["citations"]}
    assert answer["answer"].startswith("阿莫西林（Amoxicillin，DailyMed 说明书），")  # framed in Chinese ...
    assert "用法用量" in answer["answer"].split("：", 1)[0]
    assert any(c.isascii() and c.isalpha() for c in answer["citations"][0]["quote"])  # ... quoted in English


def test_chinese_side_effect_question(base: str) -> None:
    answer = _chat(base, "二甲双胍有什么副作用？")
    assert answer["status"] == "answered"
    assert answer["citations"][0]["medicine_id"] == "metformin"
    assert "adverse_reactions" in {c["attribute"] for c in answer["citations"] if c["medicine_id"] == "metformin"}


def test_medicine_said_earlier_and_a_new_one_asked_about_gives_their_interaction(base: str) -> None:
    first = _chat(base, "我在吃华法林")
    answer = _chat(base, "可以同时吃阿司匹林吗？", first["conversation_id"])
    assert {(q["medicine"], q["attribute"]) for q in answer["queries"]} == {
        ("warfarin", "interactions"), ("aspirin", "interactions")}
    cited = {c["medicine_id"] for c in answer["citations"]}
    assert "warfarin" in cited and cited <= {"warfarin", "aspirin"}


def test_a_chinese_name_the_database_lacks_is_said_to_be_missing_in_chinese(base: str) -> None:
    answer = _chat(base, "多潘立酮饭前吃还是饭后吃？")
    assert answer["status"] == "unknown_drug"
    assert answer["citations"] == []
    # (with the English generic the name table gives it: what to ask a pharmacist about abroad)
    assert answer["answer"] == "药品数据库中没有多潘立酮（domperidone），无法根据其说明书回答。请咨询药师或医生。"
