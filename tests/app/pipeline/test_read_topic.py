"""The question's own topic steers the reading (app.pipeline.read_topic), misspelt cue words are read as cues
(app.pipeline.cue_spelling), a multi-word product's name is matched whole (app.records.interactions), and a
message that only states what is taken is asked back (app.pipeline.statement)."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.cue_spelling import cue_word, spell_cue_words
from app.pipeline.read_topic import NO_TOPIC, carries, changes_topic, topic_elsewhere, topic_of
from app.pipeline.statement import allergens, bare_statement, noted_reply
from app.records.interactions import name_pattern
from indexing.text import tokenize


def _stem(word: str) -> str:
    return tokenize(word)[0]


def test_topic_words_leave_out_asking_names_and_the_section() -> None:
    topic = topic_of("Is it ok with grapefruit juice?", ["simvastatin"], [])
    assert set(topic.terms) == {_stem("grapefruit"), _stem("juice")}
    named = topic_of("is Eliquis ok with grapefruit", ["apixaban", "Eliquis"], [])
    assert set(named.terms) == {_stem("grapefruit")}
    asked = topic_of("what are the side effects of grapefruit", [], tokenize("side effect effects"))
    assert _stem("side") not in asked.terms and _stem("grapefruit") in asked.terms
    assert not topic_of("can I take it?", ["x"], []) and not NO_TOPIC
    assert _stem("capsules") not in topic_of("keep the capsules cold", [], []).terms  # a dose form says no topic


def test_lay_words_get_the_label_words_and_broad_words_count_less() -> None:
    topic = topic_of("what if I need a tooth pulled", ["apixaban"], [])
    assert topic.terms[_stem("dentists")] > topic.terms[_stem("surgery")] > 0
    idf = {t: 1.0 for t in topic.terms}
    dentist = frozenset(tokenize("tell their physicians and dentists before any surgery or dental procedure"))
    dose = frozenset(tokenize("the initial dose should be taken 12 to 24 hours after surgery"))
    assert topic.share(dentist, idf) >= 0.6 > 0.3 > topic.share(dose, idf)
    fridge = topic_of("does the one I'm using need to stay in the fridge", [], [])
    assert {_stem("refrigerator"), _stem("in-use"), _stem("opened")} <= set(fridge.terms)


def test_an_inherited_section_gives_way_to_the_topic_elsewhere() -> None:
    sections = ["dosage", "dosage", "patient_counseling"]
    assert topic_elsewhere("dosage", sections, [0.1, 0.1, 0.9], section_said=False)
    assert not topic_elsewhere("dosage", sections, [0.1, 0.1, 0.9], section_said=True)  # "the dose if ..."
    assert not topic_elsewhere("dosage", sections, [0.5, 0.1, 0.9], section_said=False)  # the section has it
    assert not topic_elsewhere(None, sections, [0.1, 0.1, 0.9], section_said=False)
    assert carries([0.0, 0.7]) and not carries([0.2]) and not carries([])


def test_a_follow_up_on_its_own_section_is_no_interaction_question() -> None:
    assert changes_topic(["pregnancy", "pregnancy"], names_a_medicine=False)
    assert not changes_topic(["pregnancy", "pregnancy"], names_a_medicine=True)
    assert not changes_topic(["interactions", "interactions"], names_a_medicine=False)
    assert not changes_topic(["pregnancy", None], names_a_medicine=False)  # a product asked beside it
    assert not changes_topic([], names_a_medicine=False)


@pytest.mark.parametrize(("said", "meant"), [
    ("can i tak amoxcillin if im breastfeding", "breastfeeding"), ("is it ok if im pregnent", "pregnant"),
    ("side efects of metformin", "side effects"), ("what dosis for a child", "doses"),
])
def test_misspelt_cue_words_are_read_as_the_cues(said: str, meant: str) -> None:
    assert meant in spell_cue_words(said)


def test_real_words_near_a_cue_stay() -> None:
    for word in ("size", "does", "dozing", "lived", "liver", "mental", "affect", "forget", "tak", "if",
                 "headaches", "swellings"):  # a cue word's plural is no misspelling
        assert cue_word(word) is None, word
    assert spell_cue_words("What size is the pill? 我怀孕了") == "What size is the pill? 我怀孕了"


def test_a_misspelt_population_asks_its_section() -> None:
    assert classify_attribute("can i tak amoxcillin if im breastfeding").attribute is not None
    assert classify_attribute("can i tak amoxcillin if im breastfeding").attribute == \
        classify_attribute("can i take amoxicillin if im breastfeeding").attribute
    assert classify_attribute("side efects of metformin").attribute == classify_attribute(
        "side effects of metformin").attribute


def test_a_product_name_of_several_words_is_matched_whole() -> None:
    pattern = name_pattern(["st john s wort"])
    assert pattern is not None
    assert pattern.search("triptans, lithium, tryptophan, St. John's Wort, and")
    assert pattern.search("St John\u2019s wort")
    assert not pattern.search("St. John")


@pytest.mark.parametrize("message", [
    "My doctor put me on warfarin last week.", "I take lisinopril and I'm allergic to penicillin.",
    "I take metformin 500 mg twice a day", "Just started sertraline",
])
def test_a_message_that_only_states_what_is_taken(message: str) -> None:
    names = [n for n in ("warfarin", "lisinopril", "metformin", "sertraline", "penicillin") if n in message]
    assert bare_statement(message, names)


@pytest.mark.parametrize("message", [
    "My doctor put me on warfarin last week. Is that a problem?", "I'm on warfarin and my gums bleed",
    "I take warfarin and want to know about alcohol", "Can I take warfarin", "warfarin side effects",
    "I take warfarin and drink wine", "我在吃warfarin",
    # something happened with a dose: what to do now is asked
    "I took my warfarin twice this morning", "just took an extra warfarin by mistake",
    "I accidentally took two warfarin",
])
def test_a_message_that_asks_or_tells_a_symptom_is_no_statement(message: str) -> None:
    assert not bare_statement(message, ["warfarin"])
    assert not bare_statement("I take it daily", [])  # no medicine named: nothing to note


def test_the_reply_names_what_was_noted() -> None:
    assert allergens("I take lisinopril and I'm allergic to penicillin.") == ["penicillin"]
    reply = noted_reply(["Lisinopril"], ["penicillin"])
    assert "Lisinopril" in reply and "allergic to penicillin" in reply and reply.count("?") == 1


def test_a_condition_told_and_no_medicine_is_noted() -> None:
    from app.pipeline.statement import condition_statement, noted_condition_reply

    assert condition_statement("I'm breastfeeding my 2 month old")
    assert not condition_statement("I'm pregnant, what can I take for heartburn?")
    assert not condition_statement("我怀孕了")
    assert noted_condition_reply(["asthma", "pregnant"]) == (
        "Noted: you have asthma and you are pregnant. Which medicine would you like to ask about?")


def test_what_it_is_taken_for_is_no_topic() -> None:
    assert not topic_of("can I take it with that for my back pain?", ["x"], [])
    assert not topic_of("is it ok for a cold?", [], [])
    kept = topic_of("can I take it with grapefruit for my headache?", [], [])
    assert set(kept.terms) == {_stem("grapefruit")}
    assert _stem("pain") in topic_of("does it help with the pain in my legs?", [], []).terms


def test_a_procedure_or_an_opened_pen_is_a_situation_whatever_the_turn() -> None:
    from app.pipeline.read_topic import situation_asked

    assert situation_asked("is it ok before a dental extraction?")
    assert situation_asked("I'm having an operation on Friday, anything to know about my tablets?")
    assert situation_asked("how long does the pen last once opened?")
    assert not situation_asked("what are the side effects of it?")
    assert not situation_asked("does it need to go in the fridge?")  # storage asks its own section


def test_time_in_the_sun_gets_the_labels_sun_words() -> None:
    for said in ("He's off to Ibiza next week, lots of sunshine. Anything he needs to know?",
                 "will be by the pool all week"):
        assert _stem("photosensitivity") in topic_of(said, ["doxycycline"], []).terms, said
    assert _stem("photosensitivity") not in topic_of("can I swim in the pool on it", [], []).terms
