"""The reader's fallback over the real server (`clinqa serve` on a cut of the shipped corpus): a label without
the asked section answers from the section that answers that kind of question, and says the section is
missing; a label with nothing of the kind (clotrimazole cream: no colour) says there is no evidence and
quotes no other medicine's label."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("prochlorperazine-maleate", "montelukast", "clotrimazole", "amlodipine", "metformin")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("fallback"), KEEP) as url:
        yield url


def test_what_is_a_medicine_without_a_description_quotes_its_indications(base: str) -> None:
    body = chat(base, "what is prochlorperazine")
    assert body["status"] == "answered"
    assert body["citations"][0]["medicine_id"] == "prochlorperazine-maleate"
    assert body["citations"][0]["attribute"] == "indications" and "schizophrenia" in body["answer"]


def test_what_is_in_the_pill_says_where_the_text_comes_from(base: str) -> None:
    body = chat(base, "What's in the montelukast pill?")
    assert body["status"] == "answered" and "phenylalanine" in body["answer"]
    assert {c["medicine_id"] for c in body["citations"]} == {"montelukast"}
    assert "no description section" in body["answer"] and "no description section" in (body["notice"] or "")


def test_colour_of_a_label_that_describes_no_tablet_is_no_evidence(base: str) -> None:
    body = chat(base, "What colour are clotrimazole tablets?")
    assert body["status"] == "no_evidence" and body["citations"] == []
    assert "no dosage forms section" in (body["notice"] or "")
