"""An ingredient named as held in a product is not a medicine asked about (app.pipeline.ingredient_of)."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.ingredient_of import without_held_ingredients
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *brands: str) -> MedicineEntry:
    return MedicineEntry(mid, name, brands, "en", "", ("description", "dosage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(
        [_entry("codeine-sulfate", "Codeine Sulfate"),
         _entry("acetaminophen", "Acetaminophen", "Tylenol"),
         _entry("acetaminophen-and-codeine", "Acetaminophen and Codeine Phosphate", "Tylenol with Codeine"),
         _entry("hydrocodone-and-acetaminophen", "Hydrocodone Bitartrate and Acetaminophen", "Norco"),
         _entry("ibuprofen", "Ibuprofen", "Advil")],
        is_known_word=lambda word: True)


@pytest.mark.parametrize(("question", "asked"), [
    ("how much codeine is in Tylenol with Codeine?", "acetaminophen-and-codeine"),
    ("is there acetaminophen in Norco?", "hydrocodone-and-acetaminophen"),
    ("how much acetaminophen is inside each Norco", "hydrocodone-and-acetaminophen"),
])
def test_the_product_is_asked_not_the_ingredient_it_holds(lexicon: MedicineLexicon, question: str,
                                                          asked: str) -> None:
    kept = without_held_ingredients(question, lexicon.find(question))
    assert [m.medicine_id for m in kept] == [asked]
    queries = RuleDistiller().distill([Turn("user", question)], lexicon).queries
    assert {q.medicine for q in queries} == {asked}


@pytest.mark.parametrize("question", [
    "can I take ibuprofen and Tylenol together?",
    "how much Tylenol can I take with Norco?",
    "is ibuprofen or acetaminophen better for a headache?",
])
def test_two_medicines_asked_together_are_both_kept(lexicon: MedicineLexicon, question: str) -> None:
    found = lexicon.find(question)
    assert len(found) == 2
    assert without_held_ingredients(question, found) == found
