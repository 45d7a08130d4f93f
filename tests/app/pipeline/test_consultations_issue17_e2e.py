"""Twenty consultations of our own wording (tests/fixtures/consult_issue17_understanding.jsonl), asked over the
real server with a corpus cut from corpora/medicines.jsonl: an allergy said in the asking turn, prevention
versus acute treatment in which-medicine questions, storage said as "keep", a kind word meaning the medicine
said before, and a reply to the service's question back. Each user turn is sent in order; the service's own
answers are the assistant turns (so a question back is really asked and replied to)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).parents[2] / "fixtures" / "consult_issue17_understanding.jsonl"
KEEP = ("sulfamethoxazole-and-trimethoprim", "amoxicillin", "amoxicillin-and-clavulanate-potassium", "almotriptan",
        "sumatriptan", "rizatriptan", "topiramate", "propranolol-hydrochloride", "atogepant", "colchicine",
        "allopurinol", "febuxostat", "semaglutide", "oral-semaglutide", "insulin", "insulin-glargine", "apixaban",
        "aspirin", "lisinopril", "amlodipine", "adalimumab", "rimegepant-sulfate", "ubrogepant")  # fmt: skip


def _items() -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(FIXTURE.read_text(encoding="utf-8").splitlines(), 1):
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{FIXTURE}:{n}: {exc}") from exc
    return items


ITEMS = _items()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("issue17"), KEEP) as url:
        yield url


def test_the_fixture_has_twenty_varied_consultations() -> None:
    assert len(ITEMS) == 20 and len({i["id"] for i in ITEMS}) == 20
    assert sum(len(i["dialogue"]) > 1 for i in ITEMS) >= 5  # multi-turn ones too


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_consultation(base: str, item: dict[str, Any]) -> None:
    turns = [t["content"] for t in item["dialogue"] if t["role"] == "user"]
    expect = item["meta"]["expect"]
    if expect.get("clarified_before"):
        assert chat(base, *turns[:-1])["status"] == "clarify", turns
    body = chat(base, *turns)
    cited = {c["medicine_id"] for c in body["citations"]}
    asked = {(q["medicine"], q["attribute"]) for q in body["queries"]}
    for gold in item["gold"]:
        assert (gold["medicine"], gold["attribute"]) in asked, (turns, body["queries"])
    if not item["gold"]:  # which medicine: the list and what it must and must not hold
        assert body["status"] == "answered", (turns, body["answer"])
        assert cited & set(expect["cited_some"]), (turns, cited)
        assert not cited & set(expect.get("not_cited", ())), (turns, cited)
        first = next(c["medicine_id"] for c in body["citations"] if c["n"] == 1)
        assert first == expect.get("first", first), (turns, body["answer"])
    if "notice" in expect:
        assert expect["notice"] in {n["kind"] for n in body["notices"]}, (turns, body["notices"])
    if "only" in expect:
        assert {m for m, _ in asked} == set(expect["only"]), (turns, body["queries"])
    if expect.get("missed_dose"):  # the pending question's topic: the label says nothing of a missed dose
        assert "missed dose" in body["answer"] or "missed dose" in json.dumps(body["notices"]), body["answer"]
