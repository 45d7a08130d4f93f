""""It" said of one of two medicines the user takes, named in one turn: asked back, then answered for the one
the reply names with the section the first question asked (issue 17)."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str, classes: tuple[str, ...] = ()) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "adverse_reactions"), routes=("ORAL",),
                         classes=classes)


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("warfarin", "Warfarin Sodium", "Coumadin", classes=("Vitamin K Antagonist [EPC]",)),
        _entry("metoprolol", "Metoprolol Tartrate", "Lopressor", classes=("beta-Adrenergic Blocker [EPC]",)),
        _entry("sertraline", "Sertraline", "Zoloft"),
        _entry("lisinopril", "Lisinopril"),
    ])


def _distill(lexicon: MedicineLexicon, *turns: str) -> Distillation:
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    return RuleDistiller().distill(dialogue, lexicon)


@pytest.mark.parametrize("turns", [
    ("I take warfarin and metoprolol.", "Okay.", "Can it make me bruise easily?"),
    ("I've been on Zoloft and lisinopril for years", "Noted.", "what's the highest dose of it"),
])
def test_it_between_two_own_medicines_of_one_turn_is_asked_back(lexicon: MedicineLexicon,
                                                                 turns: tuple[str, ...]) -> None:
    d = _distill(lexicon, *turns)
    assert d.clarify.startswith("Which medicine do you mean: ") and d.queries == []
    assert d.clarify.count(" or ") == 1


@pytest.mark.parametrize("question", [
    "Can they make me bruise easily?",  # both asked
    "Is it safe to take them together?",
    "Is it safe?",  # taking what was said, together
])
def test_questions_of_all_the_medicines_are_not_asked_back(lexicon: MedicineLexicon, question: str) -> None:
    d = _distill(lexicon, "I take warfarin and metoprolol.", "Okay.", question)
    assert d.clarify == ""
    assert {q.medicine for q in d.queries} == {"warfarin", "metoprolol"}


def test_one_medicine_or_a_more_recent_one_is_not_asked_back(lexicon: MedicineLexicon) -> None:
    assert _distill(lexicon, "I take warfarin.", "Okay.", "Can it make me bruise easily?").clarify == ""
    later = _distill(lexicon, "I take warfarin.", "Okay.", "I also started metoprolol.", "Okay.",
                     "Can it make me dizzy?")
    assert later.clarify == "" and [q.medicine for q in later.queries] == ["metoprolol"]


def test_the_reply_by_kind_continues_the_question_asked(lexicon: MedicineLexicon) -> None:
    first = _distill(lexicon, "I take warfarin and metoprolol.", "Okay.", "Can it make me bruise easily?")
    reply = _distill(lexicon, "I take warfarin and metoprolol.", "Okay.", "Can it make me bruise easily?",
                     first.clarify, "the blood thinner one")
    assert reply.clarify == ""
    assert {(q.medicine, q.attribute) for q in reply.queries} == {("warfarin", "adverse_reactions")}
    assert "bruise" in reply.queries[0].keywords
