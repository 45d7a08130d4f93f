"""A new user's population questions over the real server (`clinqa serve` on 127.0.0.1, a corpus cut from
corpora/medicines.jsonl whose chunks are in corpora/medicines.vectors.npz): a child is never given the adult's
dose of the prescription ibuprofen label (English, the follow-up "and how often?", Chinese), and a pregnancy
question leads with what was found in pregnant women, not animal data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("ibuprofen", "sumatriptan", "cetirizine", "acetaminophen")
# An adult's dose line of the ibuprofen label: "400 mg every 4 to 6 hours", "Do not exceed 3,200 mg".
_ADULT_DOSE = re.compile(r"\b(?:400|3,200|800|1200|2400) mg\b")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("population"), KEEP) as url:
        yield url


def _notices(body: dict[str, Any]) -> str:
    return " ".join(n["text"] for n in body.get("notices", []))


def test_childrens_motrin_for_a_three_year_old_gives_no_adult_dose(base: str) -> None:
    body = chat(base, "How much children's Motrin can I give my 3 year old? She weighs about 15 kg.")
    assert not _ADULT_DOSE.search(body["answer"])
    assert "no dose for a child of 3" in _notices(body) and "pharmacist or doctor" in _notices(body)
    assert body["citations"] and "pediatric" in body["citations"][0]["quote"]


def test_and_how_often_inherits_the_child(base: str) -> None:
    body = chat(base, "How much children's Motrin can I give my 3 year old? She weighs about 15 kg.",
                "and how often?")
    assert not _ADULT_DOSE.search(body["answer"]) and "every 4" not in body["answer"]
    assert "no dose for a child of 3" in _notices(body)


def test_chinese_six_year_old_with_fever_gets_no_adult_dose(base: str) -> None:
    body = chat(base, "我女儿6岁，体重20公斤，发高烧39度，美林（布洛芬混悬液）给她吃多少合适？")
    assert not _ADULT_DOSE.search(body["answer"])
    assert "6岁儿童" in _notices(body) and "药师或医生" in _notices(body)


def test_sumatriptan_at_twenty_weeks_leads_with_the_pregnancy_registry(base: str) -> None:
    body = chat(base, "I'm 20 weeks pregnant and get migraines. Is sumatriptan safe?")
    assert body["status"] == "answered"
    assert "have not detected an increased frequency of birth defects" in body["citations"][0]["quote"]


def test_cetirizine_for_a_six_year_old_quotes_her_row_of_the_dosing_table(base: str) -> None:
    body = chat(base, "My daughter is 6 and weighs about 20 kg.", "How much cetirizine can she have?")
    assert body["status"] == "answered"
    assert "6 years and over" in body["answer"] and "2 to under 6" not in body["answer"]
