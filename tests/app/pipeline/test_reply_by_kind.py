"""A reply to a question back naming one offered medicine by its kind ("the antibiotic one") picks it, and the
pending question (its section, its topic) is what is answered."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry

ASKED_BACK = "Which medicine do you mean: Levothyroxine, Levofloxacin or Levetiracetam?"


def _entry(mid: str, name: str, classes: tuple[str, ...]) -> MedicineEntry:
    return MedicineEntry(mid, name, (), "en", "", ("dosage", "interactions", "warnings"), routes=("ORAL",),
                         classes=classes)


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("levothyroxine", "Levothyroxine", ("l-Thyroxine [EPC]",)),
        _entry("levofloxacin", "Levofloxacin", ("Fluoroquinolone Antibacterial [EPC]",)),
        _entry("levetiracetam", "Levetiracetam", ("Anti-epileptic Agent [EPC]",)),
        _entry("ciprofloxacin", "Ciprofloxacin", ("Fluoroquinolone Antibacterial [EPC]",)),
    ])


def _distil(lexicon: MedicineLexicon, *turns: str) -> tuple[set[str | None], set[str | None]]:
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    d = RuleDistiller().distill(dialogue, lexicon)
    return {q.medicine for q in d.queries}, {q.attribute for q in d.queries if q.medicine}


@pytest.mark.parametrize("reply", ["the antibiotic one", "The antibiotic.", "antibiotic"])
def test_a_reply_naming_the_kind_of_one_offered_medicine_picks_it(lexicon: MedicineLexicon, reply: str) -> None:
    medicines, sections = _distil(lexicon, "how much levo should I take?", ASKED_BACK, reply)
    assert medicines == {"levofloxacin"}
    assert sections == {"dosage"}  # the pending question's section


def test_a_kind_two_offered_medicines_share_picks_none(lexicon: MedicineLexicon) -> None:
    medicines, _ = _distil(lexicon, "how much should I take?",
                           "Which medicine do you mean: Levofloxacin or Ciprofloxacin?", "the antibiotic one")
    assert "levofloxacin" not in medicines and "ciprofloxacin" not in medicines


def test_the_pending_question_s_drinking_rides_with_the_reply() -> None:
    """"can I have a few beers on it?" -> "Which ...?" -> "Metronidazole": searched as the alcohol question it is
    (alcohol as the reader's partner), as "can I drink beer with metronidazole?" is."""
    from app.pipeline.drink_words import ALCOHOL

    lexicon = MedicineLexicon([_entry("metronidazole", "Metronidazole", ("Nitroimidazole Antimicrobial [EPC]",)),
                               _entry("lisinopril", "Lisinopril", ("Angiotensin Converting Enzyme Inhibitor [EPC]",))])
    medicines, _ = _distil(lexicon, "I take metronidazole and lisinopril.", "Noted.", "can I have a few beers on it?",
                           "Which medicine do you mean: Metronidazole or Lisinopril?", "Metronidazole")
    single, _ = _distil(lexicon, "can I have a few beers on metronidazole?")
    assert medicines == single == {"metronidazole", ALCOHOL}
