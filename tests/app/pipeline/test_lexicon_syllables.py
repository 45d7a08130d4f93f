"""A generic name said with a repeated syllable dropped ("warfin", "waefin" for warfarin) resolves to it."""

from __future__ import annotations

import pytest

from app.pipeline.lexicon import MedicineLexicon, syllable_dropped_names
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("warfarin", "Warfarin Sodium", "Coumadin", "warfarin"),
        _entry("metoprolol", "Metoprolol Tartrate", "metoprolol"),
        _entry("aspirin", "Aspirin"),
    ])


@pytest.mark.parametrize(("question", "medicine"), [
    ("is waefin safe with aspirin", "warfarin"),  # "warfin" with e for r
    ("can I take warfin with aspirin?", "warfarin"),
    ("how much metopol should I take", "metoprolol"),
])
def test_a_name_short_by_a_syllable_resolves(lexicon: MedicineLexicon, question: str, medicine: str) -> None:
    assert medicine in [m.medicine_id for m in lexicon.find(question)]


@pytest.mark.parametrize("question", ["can I take wafer biscuits with aspirin", "is a warm bath ok with aspirin",
                                      "met a friend who takes aspirin"])
def test_ordinary_words_stay_words(lexicon: MedicineLexicon, question: str) -> None:
    assert [m.medicine_id for m in lexicon.find(question)] == ["aspirin"]


def test_the_dropped_forms_are_long_and_belong_to_one_name() -> None:
    forms = syllable_dropped_names(["warfarin", "metoprolol", "atenolol", "tenolol"], {"warfarin", "tenolol"})
    assert forms["warfin"] == "warfarin" and forms["metoprol"] == "metoprolol"
    assert "tenol" not in forms  # under 6 letters: too many words are one slip from it
    assert all(len(form) >= 6 for form in forms)
