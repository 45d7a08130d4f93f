"""app.pipeline.clarify_options: a question back offers its choices as the user's replies, and a reply picked
from them is answered with the question asked before (the web page's buttons send them as they are)."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "adverse_reactions", "interactions"),
                         routes=("ORAL",))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("losartan", "Losartan Potassium", "Cozaar"), _entry("amlodipine", "Amlodipine", "Norvasc"),
        _entry("apixaban", "Apixaban", "Eliquis"), _entry("sertraline", "Sertraline", "Zoloft"),
    ])


def _distill(lexicon: MedicineLexicon, *turns: str) -> Distillation:
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    return RuleDistiller().distill(dialogue, lexicon)


def _asked(d: Distillation) -> list[tuple[str | None, str | None]]:
    return [(q.medicine, q.attribute) for q in d.queries]


TIED = ("They added losartan.", "Okay.", "They added amlodipine too.", "Okay.", "Side effects of the new one?")


def test_two_medicines_asked_back_are_offered_by_name(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, *TIED)
    assert d.clarify == "Which medicine do you mean: Losartan Potassium or Amlodipine?"
    assert d.options == ("Losartan Potassium", "Amlodipine")


@pytest.mark.parametrize("pick", [0, 1])
def test_a_picked_option_answers_the_question_asked_before(lexicon: MedicineLexicon, pick: int) -> None:
    back = _distill(lexicon, *TIED)
    d = _distill(lexicon, *TIED, back.clarify, back.options[pick])
    assert not d.clarify
    assert _asked(d) == [(["losartan", "amlodipine"][pick], "adverse_reactions")]


def test_two_peoples_medicines_are_offered_as_whose(lexicon: MedicineLexicon) -> None:
    turns = ("My mom takes Eliquis and my daughter takes Zoloft.", "Okay.", "Can her medicine cause bleeding?")
    d = _distill(lexicon, *turns)
    assert d.options == ("my mother's Apixaban", "my daughter's Sertraline")
    picked = _distill(lexicon, *turns, d.clarify, d.options[1])
    assert {q.medicine for q in picked.queries} == {"sertraline"} and not picked.clarify


def test_a_question_that_is_answered_offers_nothing(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, "What are the side effects of losartan?")
    assert d.options == () and not d.clarify
