"""An operation or procedure ahead ("knee surgery next week, do I stop my baby aspirin?"): "baby aspirin" is
low-dose aspirin, no child; a label silent on surgery says so and quotes no dosing line; the label's words for
one lay word ("surgery", "surgical") count once in the topic; a planned procedure is a warnings question."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import Attribute, classify_attribute
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import conditions_in
from app.pipeline.read_missed import SURGERY, topics_asked
from app.pipeline.read_topic import situation_asked, topic_of
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk
from indexing.text import tokenize


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def _stem(word: str) -> str:
    return tokenize(word)[0]


def test_baby_aspirin_is_no_child() -> None:
    said = "I take a baby aspirin every day. Do I need to stop it?"
    assert "child" not in [c.name for c in conditions_in(said)]
    assert classify_attribute(said).scores.get("pediatric", 0.0) == 0.0
    assert "child" in [c.name for c in conditions_in("can my baby have aspirin?")]


@pytest.mark.parametrize("asked", [
    "I'm having knee surgery next week and I take a baby aspirin. Do I need to stop it?",
    "do I need to stop metformin before my operation?",
    "I'm on Eliquis and having a colonoscopy tomorrow, what do I do?",
    "I'm getting my gallbladder out next month, should I stop my clopidogrel?",
    "下周要做手术，阿司匹林要停吗？",
    "拔牙前要停华法林吗？",
    "my mom is on Eliquis and has a colonoscopy on Monday, what should she do?",  # session 10
    "I need a tooth extraction in two weeks. Anything I should tell the dentist?",
])
def test_a_procedure_ahead_is_asked(asked: str) -> None:
    assert SURGERY in topics_asked(asked), asked


@pytest.mark.parametrize("asked", [
    "I had surgery last year. What is the usual dose of ibuprofen?",
    "what is the dose of aspirin?",
    "is it ok to take with surgery?",  # no procedure ahead is said
])
def test_no_procedure_ahead_is_not_asked(asked: str) -> None:
    assert SURGERY not in topics_asked(asked), asked


def test_a_planned_procedure_asks_the_warnings_and_is_a_situation() -> None:
    for said in ("I take clopidogrel and I'm having my gallbladder out next month. Anything I should do?",
                 "on eliquis, colonoscopy on friday"):
        assert classify_attribute(said).attribute == Attribute.WARNINGS, said
        assert situation_asked(said), said


def test_the_label_words_of_one_lay_word_count_once() -> None:
    topic = topic_of("I'm on Eliquis and having a colonoscopy, what do I do?", ["apixaban", "eliquis"], [])
    idf = {t: 1.0 for t in topic.terms}  # "colonoscopy" itself is in no label sentence
    idf[_stem("colonoscopy")] = 0.0
    counselling = frozenset(tokenize("tell their physicians and dentists before any surgery or dental procedure"))
    uterine = frozenset(tokenize("bleeding potentially requiring gynecological surgical interventions"))
    assert topic.share(counselling, idf) > topic.share(uterine, idf) >= 0.6
    # what is asked of it ("stop") and when ("next week") say no topic
    assert {_stem("stop"), _stem("next"), _stem("week")}.isdisjoint(
        topic_of("I'm having a tooth pulled next week, should I stop it?", ["warfarin"], []).terms)


ASPIRIN = [
    _ev("aspirin", "dosage", "Directions drink a full glass of water with each dose. Adults and children 12 years "
        "and over: take 4 to 8 tablets every 4 hours not to exceed 48 tablets in 24 hours."),
    _ev("aspirin", "warnings", "Stomach bleeding warning: This product contains an NSAID, which may cause severe "
        "stomach bleeding."),
]


def test_a_label_silent_on_surgery_says_so_and_quotes_no_dose() -> None:
    q = [SearchQuery("aspirin", "warnings", "aspirin surgery")]
    said = "I take a baby aspirin every day and have knee surgery next week. Should I stop taking it?"
    result = ExtractiveReader().read_evidence(said, q, ASPIRIN)
    assert "says nothing about surgery" in result.notice and "surgeon" in result.notice
    assert not any("48 tablets" in c.quote for c in result.citations)
    speaking = [*ASPIRIN, _ev("aspirin", "warnings", "Stop use 7 days before surgery.", 1)]
    spoken = ExtractiveReader().read_evidence(said, q, speaking)
    assert "says nothing about surgery" not in spoken.notice
    assert any("before surgery" in c.quote for c in spoken.citations)


def test_whether_the_pill_still_works_is_no_stopping_question_and_reads_oral_contraceptives() -> None:
    from app.pipeline.read_cues import question_expansions

    said = "amoxicillin and birth control pills - do antibiotics stop the pill working?"
    assert "stopping" not in [c.name for c in conditions_in(said)]
    assert "stopping" in [c.name for c in conditions_in("can I stop taking it suddenly?")]
    assert _stem("contraceptives") in question_expansions(said)


def test_a_sentence_that_leans_on_the_one_before_is_not_quoted_alone() -> None:
    from app.pipeline.whole_sentences import leans_back

    assert leans_back("The chance is higher if you: are age 60 or older have had stomach ulcers.")
    assert leans_back("These 3066 patients exposed to sertraline had a mean age of 40.")
    assert not leans_back("The chance of bleeding is low.")


def test_the_medicine_in_focus_by_its_own_name_is_no_other_medicine() -> None:
    from types import SimpleNamespace
    from typing import Any

    from indexing.store import MedicineEntry

    def entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
        return MedicineEntry(mid, name, aliases, "en", "", ("contraindications",))

    index: Any = SimpleNamespace(version="t", medicines={
        "metformin": entry("metformin", "Metformin"),
        # a combination one of whose names is the focus medicine's ("Metformin")
        "sitagliptin-metformin": entry("sitagliptin-metformin", "Sitagliptin and Metformin", "Metformin"),
        "disulfiram": entry("disulfiram", "Disulfiram")})
    reader = ExtractiveReader()
    said = "My husband is on Glucophage and has kidney disease, is that a problem?"  # the brand, not the name
    contra = "Metformin hydrochloride tablets are contraindicated in patients with severe renal impairment."
    assert not reader._names_other(contra, ("metformin",), said, index)
    assert reader._names_other("Psychotic reactions in patients using disulfiram.", ("metformin",), said, index)


def test_what_the_label_says_of_the_procedure_leads() -> None:
    # alendronate and a tooth extraction (fresh5 tuning set): the jaw line, not the esophageal warnings, first;
    # "gynecological surgical interventions" (apixaban's uterine bleeding) is no line about a procedure ahead
    label = [_ev("alendronate", "warnings", "Esophageal adverse experiences, such as esophagitis and esophageal "
                 "ulcers, have been reported in patients receiving alendronate. Hypocalcemia can worsen and must be "
                 "corrected prior to use. Osteonecrosis of the Jaw has been reported.", 0)]
    q = [SearchQuery("alendronate", "warnings", "alendronate tooth extraction dentist")]
    said = "I've been on Fosamax for years and need a tooth extraction next month. Anything to tell the dentist?"
    result = ExtractiveReader().read_evidence(said, q, label)
    assert "says nothing about surgery" not in result.notice
    assert result.citations[0].quote.startswith("Osteonecrosis of the Jaw"), result.text
    assert SURGERY.leads is not None
    assert not SURGERY.leads.search("uterine bleeding, potentially requiring gynecological surgical interventions")
    assert SURGERY.leads.search("Discontinue 5 days prior to elective surgery.")
