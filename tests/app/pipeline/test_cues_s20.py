"""Cues of session 20: opening a capsule or mixing a dose into food asks how to take it."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from indexing.schema import Attribute


@pytest.mark.parametrize("question", [
    "Can I open omeprazole capsules and sprinkle them on food?",
    "my son cant swallow pills, can i mix the amoxicillin into his yogurt?",
    "is it ok to pull the capsule apart and put it in applesauce",
])
def test_opening_a_capsule_or_mixing_it_into_food_asks_how_to_take_it(question: str) -> None:
    assert classify_attribute(question).attribute is Attribute.DOSAGE


def test_food_said_alone_still_asks_about_food() -> None:
    assert classify_attribute("any foods to avoid on warfarin?").attribute is not Attribute.DOSAGE


@pytest.mark.parametrize("question", [
    "My wife takes ibuprofen a lot, is that a problem?", "I take tylenol every day, is that bad?",
    "my husband has been on omeprazole for 10 years, is that ok?", "is it bad to take ibuprofen every day",
])
def test_taking_it_regularly_or_for_long_asks_the_warnings(question: str) -> None:
    assert classify_attribute(question).attribute is Attribute.WARNINGS


def test_a_daily_medicine_asked_when_to_take_is_no_warning_question() -> None:
    assert classify_attribute("I take it daily, is it ok to take in the morning?").attribute is Attribute.DOSAGE


def test_weight_put_on_in_stones_is_a_side_effect_and_raiding_the_fridge_no_storage() -> None:
    question = "I've put on nearly a stone and I'm raiding the fridge at midnight. could that be the mirtazepine"
    assert classify_attribute(question).attribute is Attribute.ADVERSE_REACTIONS
    assert classify_attribute("does it need to go in the fridge?").attribute is Attribute.STORAGE


def test_anything_i_should_know_asks_the_warnings() -> None:
    question = "Going to Lanzarote on Friday, will be by the pool all week. Anything I should know?"
    assert classify_attribute(question).attribute is Attribute.WARNINGS


@pytest.mark.parametrize("question", [
    "Can I open my omeprazole capsules and mix them with applesauce? I can't swallow them.",
    "Weekly alendronic acid 70mg. Do I need to stay upright after taking it?",
    "Can I take it with my cup of tea in bed and then lie back down for half an hour?",
])
def test_how_the_label_says_to_take_it_leads_whatever_food_is_named(question: str) -> None:
    guess = classify_attribute(question)
    assert guess.attribute is Attribute.DOSAGE and guess.scores["dosage"] >= 4.5


@pytest.mark.parametrize("question", ["My ears have been ringing for two days. Could it be the tablets?",
                                      "这两天耳朵一直嗡嗡响，听东西也不太清楚，跟药有关吗？"])
def test_ringing_ears_bring_the_labels_ototoxicity_words(question: str) -> None:
    from app.pipeline.read_cues import question_expansions
    from indexing.text import tokenize

    assert set(tokenize("tinnitus hearing")) <= question_expansions(question)


def test_pins_and_needles_bring_the_labels_neuropathy_words() -> None:
    from app.pipeline.read_cues import question_expansions
    from indexing.text import tokenize

    assert set(tokenize("neuropathy paresthesia")) <= question_expansions("pins and needles in my feet, the pills?")
