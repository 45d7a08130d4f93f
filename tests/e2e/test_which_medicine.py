""""Which medicine treats X?" over the real server (`clinqa serve` on 127.0.0.1), on a cut of the shipped
corpus (its chunks are in corpora/medicines.vectors.npz, so nothing is encoded): several medicines, each
cited from its indications; nothing listed, and no label quoted, when no indications name the condition."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

HEARTBURN = {"ranitidine", "omeprazole", "famotidine", "dexlansoprazole", "vonoprazan-fumarate", "lansoprazole"}
# An anxiolytic whose indications list "upset stomach" among its patients' symptoms; a homeopathic product
# whose "uses" name a sore throat.
NOT_INDICATED = {"buspirone-hydrochloride", "guna-virus"}
KEEP = HEARTBURN | NOT_INDICATED | {"warfarin", "metformin", "ibuprofen", "lisinopril"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("which_medicine"), KEEP) as url:
        yield url


def test_what_can_i_take_for_heartburn(base: str) -> None:
    body = chat(base, "what can I take for heartburn?")
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
    body = chat(base, "什么药治胃酸过多？")
    assert body["status"] == "answered"
    assert {c["medicine_id"] for c in body["citations"]} <= HEARTBURN
    assert len(body["citations"]) >= 2
    assert body["answer"].startswith("数据库中适应症提到“胃酸过多”的药品：")


def test_no_indications_name_it_no_label_quoted(base: str) -> None:
    body = chat(base, "what medicine can I take for zorblax syndrome?")
    assert body["status"] == "no_evidence"
    assert body["citations"] == []
    plain = chat(base, "headache for three days")
    assert plain["citations"] == []


def test_words_sharing_a_sentence_are_not_an_indication(base: str) -> None:
    body = chat(base, "is there a medicine for an upset stomach?")
    cited = {c["medicine_id"] for c in body["citations"]}
    assert cited <= HEARTBURN and "buspirone-hydrochloride" not in cited, body["answer"]
    assert all(c["attribute"] == "indications" for c in body["citations"])
    throat = chat(base, "anything for a sore throat?")
    assert throat["status"] == "no_evidence" and throat["citations"] == [], throat["answer"]


def test_which_medicine_for_someone_on_warfarin_checks_each_against_it(base: str) -> None:
    body = chat(base, "I'm on warfarin, what can I take for heartburn?")
    assert body["status"] == "answered", body
    listed = [c for c in body["citations"] if c["attribute"] == "indications"]
    assert listed and {c["medicine_id"] for c in listed} <= HEARTBURN  # warfarin is not what is asked about
    assert "Checked against the medicines you said you take: Warfarin." in json.dumps(body["notices"]), body
    checked = [c for c in body["citations"] if c["attribute"] != "indications"]
    assert checked, body["answer"]  # a heartburn medicine's label (or warfarin's) speaks of the two
    assert all("warfarin" in c["quote"].casefold() or "anticoagul" in c["quote"].casefold() for c in checked)
    assert [c["n"] for c in body["citations"]] == list(range(1, len(body["citations"]) + 1))
