"""Alcohol said in everyday words (app.pipeline.drink_words): recognised as alcohol, never a missing medicine,
and searched as the label's "alcohol" (the reader's partner), with the section an alcohol question asks."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.drink_words import ALCOHOL, alcohol_section, asks_alcohol, with_alcohol
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import SearchQuery, Turn
from indexing.schema import Attribute
from indexing.store import MedicineEntry


@pytest.mark.parametrize("question", [
    "can i have a couple of beers while on metronidazole", "and can I drink on it?", "is wine ok with it?",
    "Is it ok to have a pint tonight?", "a few drinks at the weekend on amoxicillin?", "booze and sertraline",
    "drinking while on metformin?", "will I get drunk faster on it?", "can I have a glass of prosecco?",
])
def test_drink_words_ask_about_alcohol(question: str) -> None:
    assert asks_alcohol(question)


@pytest.mark.parametrize("question", [
    "should I drink plenty of water with lithium?", "can I drink grapefruit juice with atorvastatin?",
    "what can I eat or drink on warfarin?", "do I take it with a drink of milk?", "how do I take metformin?",
    "can I drink it straight from the bottle?", "how much water should I drink with it?",
])
def test_other_drinks_do_not(question: str) -> None:
    assert not asks_alcohol(question)


def test_the_queries_carry_alcohol_and_alcohol_as_the_partner() -> None:
    queries = with_alcohol([SearchQuery("metronidazole", "interactions", "Metronidazole beers interactions")])
    assert "alcohol" in queries[0].keywords.split() and "ethanol" in queries[0].keywords.split()
    assert queries[-1] == SearchQuery(ALCOHOL, None, ALCOHOL)
    assert with_alcohol([]) == []  # no medicine: nothing to read for alcohol


def test_the_section_an_alcohol_question_asks() -> None:
    assert alcohol_section(None) is Attribute.INTERACTIONS
    assert alcohol_section(Attribute.INDICATIONS) is Attribute.INTERACTIONS
    assert alcohol_section(Attribute.PREGNANCY) is Attribute.PREGNANCY


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([MedicineEntry(mid, mid.title(), (), "en", "", ("interactions",), routes=("ORAL",))
                            for mid in ("metronidazole", "amoxicillin")])


@pytest.mark.parametrize(("turns", "medicine"), [
    (("can i have a couple of beers while on metronidazole",), "metronidazole"),
    (("what is amoxicillin for?", "It treats infections.", "and can I drink on it?"), "amoxicillin"),
    (("can I have a few drinks on amoxicillin?",), "amoxicillin"),
])
def test_a_drink_question_reads_the_label_for_alcohol(lexicon: MedicineLexicon, turns: tuple[str, ...],
                                                      medicine: str) -> None:
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    d = RuleDistiller().distill(dialogue, lexicon)
    assert d.unknown_drugs == []  # "beers" is no medicine the database lacks
    asked = [q for q in d.queries if q.medicine == medicine]
    assert asked and all(q.attribute == "interactions" and "alcohol" in q.keywords.split() for q in asked)
    assert SearchQuery(ALCOHOL, None, ALCOHOL) in d.queries


@pytest.mark.parametrize(("question", "asks"), [
    ("吃二甲双胍能喝酒吗？", True), ("服用甲硝唑期间可以饮酒吗", True), ("它可以和酒一起喝吗？", True),
    ("能喝点啤酒吗", True), ("吃了头孢，昨晚喝醉了", True),
    ("我在吃酒石酸美托洛尔", False),  # 酒石酸: tartrate, a salt
    ("他已经戒酒了，能吃地西泮吗？", False), ("阿莫西林怎么吃？", False),
])
def test_drinking_in_chinese(question: str, asks: bool) -> None:
    assert asks_alcohol(question) is asks


def test_a_chinese_follow_up_about_alcohol_reads_the_label_for_alcohol(lexicon: MedicineLexicon) -> None:
    dialogue = [Turn("user", "我在吃 Metronidazole。"), Turn("assistant", "好的。"),
                Turn("user", "它可以和酒一起喝吗？")]
    d = RuleDistiller().distill(dialogue, lexicon)
    asked = [q for q in d.queries if q.medicine == "metronidazole"]
    assert asked and all("alcohol" in q.keywords.split() for q in asked), d.queries
    assert SearchQuery(ALCOHOL, None, ALCOHOL) in d.queries


def test_warning_patients_against_alcohol_is_what_they_must_not_do() -> None:
    from app.pipeline.read_partner import decisiveness

    # before a list of risk factors that names alcohol among nine others
    assert decisiveness("Warn patients against excessive alcohol intake while receiving metformin.") == 0
    assert decisiveness("Counsel patients against excessive alcohol intake.") == 0
    assert decisiveness("Alcohol was studied in 12 healthy subjects.") == 2
