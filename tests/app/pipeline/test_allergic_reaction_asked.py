"""'allergic reaction' asked about is no allergy said: the medicine after it is the one asked about, not an
allergen (app.pipeline.context.allergens_in); a reaction someone had still is an allergy."""

from __future__ import annotations

import pytest

from app.pipeline.context import allergens_in
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


@pytest.mark.parametrize("question", [
    "how long for allergic reaction after using nivolumab",
    "is an allergic reaction to lamotrigine common?",
])
def test_a_reaction_asked_about_names_no_allergen(question: str) -> None:
    assert allergens_in(question) == []


def test_a_reaction_someone_had_is_still_an_allergy() -> None:
    assert "bactrim" in allergens_in("I had an allergic reaction to Bactrim, can I take Celebrex?")
    assert allergens_in("allergic to penicillin, can I take Augmentin?") == ["penicillin"]


def test_the_medicine_after_an_allergic_reaction_is_searched() -> None:
    lexicon = MedicineLexicon([MedicineEntry("nivolumab", "Nivolumab", ("Opdivo",), "en", "",
                                             ("adverse_reactions", "warnings"))], is_known_word=lambda word: True)
    queries = RuleDistiller().distill([Turn("user", "how long for allergic reaction after using nivolumab")],
                                      lexicon).queries
    assert [q.medicine for q in queries] == ["nivolumab"]
