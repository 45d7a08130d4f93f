"""Which section and which medicine, asked over the real server (`clinqa serve` with a small cut of the shipped
corpus, as tests/app/pipeline/test_understanding_e2e.py): an effect the label warns about reads the warnings,
a symptom put down to the medicine reads the adverse reactions, and an ingredient held in a product is not the
medicine asked about."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("tramadol", "prednisone", "digoxin", "acetaminophen", "acetaminophen-and-codeine-phosphate",
        "codeine-sulfate", "lisinopril")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("sections"), KEEP) as url:
        yield url


def _first(body: dict[str, Any]) -> tuple[str | None, str | None]:
    query = body["queries"][0]
    return query["medicine"], query["attribute"]


def test_an_effect_the_label_warns_about_reads_the_warnings(base: str) -> None:
    assert _first(chat(base, "I'm now on tramadol.", "Can it give me fits?")) == ("tramadol", "warnings")
    assert _first(chat(base, "Been on prednisone for a year for my lungs.", "is that bad for my bones?")) \
        == ("prednisone", "warnings")
    assert _first(chat(base, "does prednisone raise your blood sugar")) == ("prednisone", "warnings")


def test_a_symptom_put_down_to_the_medicine_reads_the_reactions(base: str) -> None:
    body = chat(base, "My dad's on digoxin.", "He's been a bit off his food this week.", "Could that be the tablet?")
    assert _first(body) == ("digoxin", "adverse_reactions")
    assert _first(chat(base, "lisinopril and tummy trouble, common?")) == ("lisinopril", "adverse_reactions")


def test_an_ingredient_held_in_a_product_is_not_the_medicine_asked(base: str) -> None:
    body = chat(base, "how much codeine is in Tylenol with Codeine?")
    assert {q["medicine"] for q in body["queries"]} == {"acetaminophen-and-codeine-phosphate"}
    assert {c["medicine_id"] for c in body["citations"]} <= {"acetaminophen-and-codeine-phosphate"}
