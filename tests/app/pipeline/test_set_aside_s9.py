"""Which medicine "the other one", "the second one" means when the asking turn names one itself, sets one aside
("not the ibuprofen, the other one", "Not asking about the beta blocker. The other one"), or names both
(development set eval/data/consult_dev_wrongmed_s9.jsonl, session 9)."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.set_aside import is_set_aside, set_aside_phrases
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "adverse_reactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([_entry(m, m.title()) for m in (
        "ibuprofen", "cyclobenzaprine", "lamotrigine", "levetiracetam", "metoprolol", "clopidogrel", "cephalexin",
        "mirtazapine", "trazodone", "metformin", "glipizide")])


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


def _asked(lexicon: MedicineLexicon, *turns: str) -> list[str | None]:
    return [q.medicine for q in RuleDistiller().distill(_dialogue(*turns), lexicon).queries]


def test_set_aside_words() -> None:
    assert is_set_aside("not the ibuprofen, the other one - does it make you sleepy?", "ibuprofen")
    assert is_set_aside("I'm not asking about my metformin, the other one", "metformin")
    assert is_set_aside("apart from the metformin, what else", "metformin")
    assert not is_set_aside("The metformin I know about. Does the other one cause weight gain?", "metformin")
    assert not is_set_aside("does ibuprofen not cause drowsiness?", "ibuprofen")
    assert set_aside_phrases("Not asking about the beta blocker. The other one - how long?") == "beta blocker"


def test_a_name_set_aside_is_not_the_other_one(lexicon: MedicineLexicon) -> None:
    # before: the name set aside was asked about too, its label quoted first
    assert _asked(lexicon, "The doctor gave me ibuprofen and cyclobenzaprine for my back.", "Okay.",
                  "not the ibuprofen, the other one - does it make you sleepy?") == ["cyclobenzaprine"]
    assert _asked(lexicon, "I take lamotrigine and levetiracetam.", "Okay.",
                  "Not the lamotrigine - does the other one affect mood?") == ["levetiracetam"]
    # as before: a name the sentence asks of stays
    assert _asked(lexicon, "I was prescribed metformin and glipizide at the same visit.", "Okay.",
                  "The metformin I know about. Does the other one cause weight gain?") == ["glipizide"]


def test_a_kind_set_aside_says_which_is_the_other_one(lexicon: MedicineLexicon) -> None:
    # before: asked back which of the two
    assert _asked(lexicon, "Discharged on metoprolol and clopidogrel after my stent.", "Okay.",
                  "Not asking about the beta blocker. The other one - how long do I stay on it?") == ["clopidogrel"]
    # a kind neither is of: no choice made here (both, as before)
    assert _asked(lexicon, "Discharged on metoprolol and clopidogrel after my stent.", "Okay.",
                  "Not asking about the antibiotic. The other one - how long?") == ["metoprolol", "clopidogrel"]


def test_an_ordinal_picks_among_the_turns_own_names(lexicon: MedicineLexicon) -> None:
    # before: both were asked, the first one's label quoted first
    assert _asked(lexicon, "ER gave me two scripts: cephalexin and ibuprofen. how many times a day is the second "
                           "one?") == ["ibuprofen"]
    assert _asked(lexicon, "Doc offered mirtazapine or trazodone for sleep. What's the starting dose of the first "
                           "one?") == ["mirtazapine"]


def test_a_name_set_aside_is_not_asked_about(lexicon: MedicineLexicon) -> None:
    # before: metformin's label answered first
    assert _asked(lexicon, "I'm not asking about my metformin. what are the side effects of glipizide") == [
        "glipizide"]
    # "not" before another word is no setting aside
    assert _asked(lexicon, "Is it not safe to take ibuprofen with cyclobenzaprine?") == ["ibuprofen",
                                                                                          "cyclobenzaprine"]


def test_a_name_set_aside_is_no_partner(lexicon: MedicineLexicon) -> None:
    # before: metformin came back as the partner of a food interaction
    assert _asked(lexicon, "I take metformin and glipizide.", "Okay.",
                  "Not the metformin, the other one - can I eat grapefruit?") == ["glipizide"]
