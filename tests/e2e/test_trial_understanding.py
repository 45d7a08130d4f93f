"""A new user's trial (issue 17) over the real server (`clinqa serve` on 127.0.0.1, a cut of the shipped
corpus): a purpose phrase does not hide the interaction question, a dose-form word picks the product among
those sharing a name, and a misspelt allergy still raises the allergy alert. Our own wordings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("warfarin", "ibuprofen", "sertraline", "lisinopril", "naproxen", "semaglutide", "oral-semaglutide",
        "amoxicillin")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("trial"), KEEP) as url:
        yield url


def _queries(body: dict[str, Any]) -> set[tuple[str | None, str | None]]:
    return {(q["medicine"], q["attribute"]) for q in body["queries"]}


def test_a_purpose_phrase_does_not_hide_the_interaction(base: str) -> None:
    body = chat(base, "My GP started me on warfarin last week. Am I allowed to take ibuprofen for a sore back?")
    assert {("warfarin", "interactions"), ("ibuprofen", "interactions")} <= _queries(body), body["queries"]
    body = chat(base, "I'm on lisinopril.", "Could I take naproxen for my knee?")
    assert {("lisinopril", "interactions"), ("naproxen", "interactions")} <= _queries(body), body["queries"]
    body = chat(base, "I began Zoloft a month ago. Is it okay to also take Aleve for period cramps?")
    assert {("sertraline", "interactions"), ("naproxen", "interactions")} <= _queries(body), body["queries"]


def test_a_dose_form_word_picks_the_product(base: str) -> None:
    body = chat(base, "Where do I keep my Ozempic pens once I've started using one?")
    assert {q[0] for q in _queries(body)} == {"semaglutide"}, body["queries"]
    body = chat(base, "do Ozempic tablets go in the fridge?")
    assert {q[0] for q in _queries(body)} == {"oral-semaglutide"}, body["queries"]


def test_a_misspelt_allergy_raises_the_alert(base: str) -> None:
    for question in ("can i take amoxicilin if im alergic to penicilin",
                     "Im allergick to penicillin, is amoxicillin ok?"):
        body = chat(base, question)
        assert ("amoxicillin", "contraindications") in _queries(body), (question, body["queries"])
        assert any(n["kind"] == "allergy" for n in body["notices"]), (question, body["notices"])
