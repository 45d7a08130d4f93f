"""A made-up or foreign product name said the way a product is named ("is zentravix safe for me", "doc mentioned
Prexalor", "something called Cardiovex") is a product the database lacks, so no label of a medicine said beside
it answers for it (development set eval/data/consult_dev_wrongmed_s9.jsonl, session 9). Ordinary words and
words the labels use are never taken for names."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.name_frames import named_as_product
from app.pipeline.state import Turn
from indexing.schema import Attribute
from indexing.store import MedicineEntry

_LABEL_WORDS = {"safe", "used", "sleepy", "drowsy", "normal", "dizziness", "really", "pills", "tablets"}


def _entry(mid: str, name: str) -> MedicineEntry:
    return MedicineEntry(mid, name, (), "en", "", ("dosage", "indications", "interactions", "warnings"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([_entry(m, m.title()) for m in ("warfarin", "lisinopril", "amlodipine", "digoxin")],
                           is_known_word=lambda w: w in _LABEL_WORDS)


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


def test_frames() -> None:
    assert named_as_product("i take warfarin. is zentravix safe for me", "zentravix")
    assert named_as_product("doc mentioned prexalor?? what is it for", "prexalor")
    assert named_as_product("another is something called cardiovex which", "cardiovex")
    assert named_as_product("what's the cardiovex for?", "cardiovex")
    assert not named_as_product("is zentravix a brand", "zentravix")
    assert not named_as_product("i feel zentravix today", "zentravix")


def test_a_framed_name_no_label_uses_is_a_product_the_database_lacks(lexicon: MedicineLexicon) -> None:
    found = lexicon.find("i take warfarin. is zentravix safe for me")
    assert [(m.surface, m.medicine_id) for m in found] == [("warfarin", "warfarin"), ("zentravix", None)]
    assert [(m.surface, m.medicine_id) for m in lexicon.find("something called Cardiovex which I can't find")] == [
        ("cardiovex", None)]
    # a word the labels use, or a short one, is not taken for a name
    assert lexicon.find("is dizziness normal, is it really safe") == []
    assert lexicon.find("is abcde safe") == []


def test_the_medicine_beside_it_is_not_quoted_for_it(lexicon: MedicineLexicon) -> None:
    # before: lisinopril's and amlodipine's indications answered "what is it for"
    d = RuleDistiller().distill(_dialogue("on lisinopril n amlodipine. doc mentioned Prexalor?? what is it for"),
                                lexicon)
    assert d.queries == [] and d.unknown_drugs == ["Prexalor"]
    # before: digoxin's label answered what the Cardiovex is for
    d = RuleDistiller().distill(_dialogue(
        "My mother in law has a bag of pills, one of them is digoxin and another is something called Cardiovex. "
        "What's the Cardiovex for?"), lexicon)
    assert d.queries == [] and d.unknown_drugs == ["Cardiovex"]


def test_what_is_it_for_at_the_end_asks_indications() -> None:
    assert classify_attribute("What's the Cardiovex for?").attribute == Attribute.INDICATIONS
    assert classify_attribute("what's the other one for").attribute == Attribute.INDICATIONS
    assert classify_attribute("whats the dose for kids?").attribute == Attribute.DOSAGE
