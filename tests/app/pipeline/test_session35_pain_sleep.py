"""Session 35: pain, sleep, nerves and dependence (painkillers and their limits, opioids, nerve pain, sleeping
tablets, benzodiazepines and antidepressants, quitting smoking and drinking)."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.class_reference import kinds_referred
from app.pipeline.denied_conditions import without_denials
from app.pipeline.drink_words import asks_alcohol
from app.pipeline.ingestion import too_much_taken
from app.pipeline.read_cues import conditions_in, question_expansions
from app.pipeline.read_missed import MISSED_DOSE, topics_asked
from app.pipeline.spoken_names import SpokenNames
from indexing.text import tokenize


@pytest.mark.parametrize(("question", "attribute"), [
    ("So why has my psychiatrist given me lamotrigine, which says it's an epilepsy drug on every website? Is she "
     "experimenting on me?", "indications"),
    ("His blood pressure is high as well - will the tamsulosin sort that out too?", "indications"),
    ("Is tamsulosin meant to treat his blood pressure?", "indications"),
    ("GP gave me hydroxyzine 25mg. I thought that was an allergy/itch pill?? Has she given me the wrong thing?",
     "indications"),
    ("lunesta works great but everything tastes like a coin the next day. is that a known thing", "adverse_reactions"),
    ("What are we meant to do with the tablets? Can they go in the bin?", "storage"),
    ("His GP has just suggested amitriptyline 10 mg at night. Is it ok to start that so soon after the heart attack?",
     "contraindications"),
    ("今天发现她把一板氯硝西泮吃了大半，现在一直睡，这种情况严重吗", "overdosage"),
])
def test_pain_and_sleep_questions_ask_their_section(question: str, attribute: str) -> None:
    guess = classify_attribute(question).attribute
    assert guess is not None and guess.value == attribute


@pytest.mark.parametrize(("question", "not_this"), [
    ("Is it ok to take it with food?", "contraindications"),
    ("is it ok to take it after drinking?", "contraindications"),
    ("昨晚她半夜起来开冰箱吃东西还出门在楼下转了一圈。这个药会这样吗？", "storage"),
])
def test_look_alike_wordings_do_not_ask_that_section(question: str, not_this: str) -> None:
    guess = classify_attribute(question).attribute
    assert guess is None or guess.value != not_this


@pytest.mark.parametrize(("text", "kept", "blanked"), [
    ("I have bipolar, not epilepsy.", "bipolar", "epilepsy"),
    ("she doesn't have asthma and takes salbutamol", "salbutamol", "asthma"),
    ("which says it's an epilepsy drug on every website", "drug", "epilepsy"),
    ("I thought that was an allergy/itch pill", "pill", "allergy"),
    ("is it not safe in pregnancy?", "pregnancy", ""),
    ("my epilepsy drug", "epilepsy", ""),
])
def test_a_denied_or_describing_condition_is_blanked(text: str, kept: str, blanked: str) -> None:
    out = without_denials(text)
    assert len(out) == len(text) and kept in out
    assert not blanked or blanked not in out


def test_a_denied_condition_is_no_stated_condition() -> None:
    assert "seizures" not in {c.name for c in conditions_in("I have bipolar, not epilepsy. Why lamotrigine?")}
    assert "seizures" in {c.name for c in conditions_in("I have epilepsy. Why lamotrigine?")}


def test_an_operation_behind_them_is_no_procedure_ahead() -> None:
    assert "procedure" not in {c.name for c in conditions_in(
        "I had a knee replacement last week and they sent me home with oxycodone.")}
    assert "procedure" in {c.name for c in conditions_in("I'm having a knee replacement on Monday, stop it before?")}


def test_lay_words_for_constipation_taste_and_disposal_reach_the_labels_words() -> None:
    def said(word: str, question: str) -> bool:
        return set(tokenize(word)) <= question_expansions(question)

    assert said("constipation", "I haven't been to the loo properly in 4 days")
    assert not said("constipation", "I haven't been sleeping well")
    assert said("taste", "everything tastes like I've been sucking on a coin")
    assert said("disposal", "Can the leftover tablets go in the bin?")


@pytest.mark.parametrize(("question", "too_much"), [
    ("at about 7 she took another 2 because she couldn't remember if she'd had them", True),
    ("i counted the packet and shes had about 16 in the last 24 hours", True),
    ("今天发现她把一板氯硝西泮吃了大半", True),
    ("she takes 2 every 4 hours", False),
])
def test_a_dose_taken_twice_or_a_days_count_is_too_much(question: str, too_much: bool) -> None:
    assert too_much_taken(question) is too_much


def test_a_dose_taken_twice_is_no_missed_dose() -> None:
    topics = topics_asked("she took another 2 because she couldn't remember if she'd had them. Skip her next dose?")
    assert MISSED_DOSE not in topics
    assert MISSED_DOSE in topics_asked("she forgot her morning dose. Skip it or take it now?")


@pytest.mark.parametrize(("question", "asks"), [
    ("My partner is starting acamprosate to help him stay off the drink, he's been dry 3 weeks. Is it ok for his "
     "kidneys?", False),
    ("can I have a few drinks on diazepam?", True),
])
def test_staying_off_drink_is_no_drinking_asked(question: str, asks: bool) -> None:
    assert asks_alcohol(question) is asks


@pytest.mark.parametrize(("question", "kind"), [
    ("Is that ok with the gout tablet?", "gout"),
    ("can she drink wine with the nerve pain tablets?", "nerve_pain"),
    ("how often can I take my migraine tablets?", "migraine"),
    ("is it ok with my HRT?", "hormone_replacement"),
])
def test_kinds_of_this_theme_refer_to_a_medicine_said_before(question: str, kind: str) -> None:
    assert kind in kinds_referred(question)


def test_an_article_and_a_word_are_no_spoken_name() -> None:
    spoken = SpokenNames(["aspirin", "atorvastatin", "ibuprofen"], [])
    assert spoken.find("will it work on a sprain".split(), lambda i: True, lambda w: False) == []
    found = spoken.find("i be profen".split(), lambda i: True, lambda w: w in {"be"})
    assert [s.name for s in found] == ["ibuprofen"]
