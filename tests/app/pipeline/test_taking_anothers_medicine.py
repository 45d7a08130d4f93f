"""The user asking whether they may take a medicine someone else takes ("could I take her antibiotic too?"):
the user is the one who would take it, so the interaction check is against the user's own medicines, and a
question of another person's does not hand its section down to it. New-user trial, session 8."""

from __future__ import annotations

import pytest

from app.pipeline.context import Owner, build_context, question_owner
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.records.mag import TAKING_CUE, add_medication_partners
from indexing.store import MedicineEntry


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        MedicineEntry("simvastatin", "Simvastatin", (), "en", "", ("dosage", "interactions")),
        MedicineEntry("clarithromycin", "Clarithromycin", (), "en", "", ("dosage", "interactions"),
                      classes=("Macrolide Antimicrobial [EPC]",)),
    ])


@pytest.mark.parametrize(("question", "owner"), [
    ("could I take her antibiotic too?", Owner.USER),
    ("and could I safely take that antibiotic too?", Owner.USER),
    ("is it ok for me to take his tablets?", Owner.USER),
    ("can she take her antibiotic with food?", Owner.RELATIVE),
    ("can I give her some ibuprofen?", Owner.RELATIVE),  # given to her: hers
])
def test_who_would_take_it(question: str, owner: Owner) -> None:
    assert question_owner(question) is owner


def test_an_adverb_between_i_and_take_is_still_a_taking_question() -> None:
    assert TAKING_CUE.search("could I safely take that antibiotic too?")


def _turns(*said: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(said)]


def test_the_users_own_medicine_is_checked_when_they_ask_to_take_anothers(lexicon: MedicineLexicon) -> None:
    dialogue = _turns("I take simvastatin. My wife takes clarithromycin for a chest infection.", "Noted.",
                      "can she take her antibiotic with food?", "It may be given with or without food.",
                      "and could I safely take that antibiotic too?")
    distilled = RuleDistiller().distill(dialogue, lexicon)
    # not the dosing section the wife's food question asked
    assert [(q.medicine, q.attribute) for q in distilled.queries] == [("clarithromycin", None)]
    context = build_context(dialogue, lexicon)
    checked, partners = add_medication_partners(distilled, dialogue[-1].content, None, lexicon, context)
    assert [p.medicine_id for p in partners] == ["simvastatin"]
    assert {(q.medicine, q.attribute) for q in checked.queries} == {("clarithromycin", "interactions"),
                                                                    ("simvastatin", "interactions")}
