"""Cues and readings a discharge and night-line week showed (session 21): opening a capsule to mix it is how to
take it; an aching Achilles on an antibiotic is its tendon warnings; "does my history matter?" the
contraindications; "max duration?" the dosing; a child's side effect with "keep going or stop?" the warnings, not
the use in children; an "if ..., call ..." bullet ending a Drug Facts section is a whole instruction; "an
antibiotic" is a new medicine, not one said before."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.class_reference import _referred
from app.pipeline.compose import label_sentences
from app.pipeline.read_cues import question_expansions
from app.pipeline.read_missed import VOMITED_DOSE


@pytest.mark.parametrize(("question", "section"), [
    ("Can I open it and mix it with something?", "dosage"),
    ("My Achilles has started aching after a short jog on the antibiotic. Should I keep running?", "warnings"),
    ("Travel nurse offered me mefloquine because it's weekly. Does my history matter?", "contraindications"),
    ("Pt wants to keep taking metoclopramide long-term. Max duration per label?", "dosage"),
    ("she's had runny poos 5 times today. keep going with her syrup or stop?", "warnings"),
])
def test_the_cue_words_name_the_section(question: str, section: str) -> None:
    assert (guess := classify_attribute(question).attribute) is not None and guess.value == section, question


def test_an_if_then_bullet_ending_the_section_is_quoted_whole() -> None:
    text = ("Directions • take as soon as possible within 72 hours (3 days) after unprotected sex. The sooner you take "
            "it the better it will work. • if you vomit within 2 hours after taking the medication, call a healthcare "
            "professional to find out if you should repeat the dose")
    quoted = [s for _, s in label_sentences(text)]
    assert "If you vomit within 2 hours after taking the medication, call a healthcare professional to find out if " \
           "you should repeat the dose." in quoted
    # an item that lost its heading still says nothing alone
    assert not any(s.startswith("If you have ever") for _, s in label_sentences(
        "Do not use this product. • if you have ever had an allergic reaction to it"))


def test_being_sick_after_a_dose_and_asking_if_it_still_works_is_the_topic() -> None:
    question = "took the morning after pill at 10pm and was sick at half 11. does it still work???"
    assert VOMITED_DOSE.asked(question)
    assert "vomit" in question_expansions(question)


def test_a_kind_said_with_an_or_another_is_a_new_medicine() -> None:
    assert not _referred("antibiotic", "The dentist has put her on an antibiotic too. Does that mess with it?")
    assert _referred("antibiotic", "Can I drink on the antibiotic?")
    assert _referred("antibiotic", "He was given an antibiotic. Is the antibiotic ok with his warfarin?")


@pytest.mark.parametrize(("question", "section"), [
    ("I inject Lovenox after my knee op. Hotel room in Spain is about 28 degrees. Is that OK for the syringes?",
     "storage"),
    ("He's had watery diarrhoea 6 times since lunchtime. What do I do?", "warnings"),
    ("Albenza for tapeworm cysts - with food or on an empty stomach?", "dosage"),
    ("Condom broke Friday night. Is it too late for the levonorgestrel morning after pill?", "dosage"),
])
def test_more_cue_words_name_the_section(question: str, section: str) -> None:
    assert (guess := classify_attribute(question).attribute) is not None and guess.value == section, question


def test_a_positive_test_is_a_pregnancy_and_a_treated_depression_a_stated_condition() -> None:
    from app.pipeline.read_cues import conditions_in

    said = {c.name for c in conditions_in("My period is 10 days late and the test is positive.")}
    assert "pregnancy" in said
    stated = [c for c in conditions_in("I was treated for depression last year, all fine now.") if c.name == "stated"]
    assert stated and stated[0].terms == frozenset({"depress"})  # (tokens are stemmed)


def test_plural_drinks_are_alcohol() -> None:
    from app.pipeline.drink_words import asks_alcohol
    from app.pipeline.read_missed import ALCOHOL

    for asked in ("Can I have a couple of vodkas tomorrow at the party on it?", "a few gins ok?"):
        assert ALCOHOL.asked(asked) and asks_alcohol(asked), asked
    assert not asks_alcohol("Can I have my flu shots on it?")


def test_a_baby_breastfed_is_the_users_breastfeeding() -> None:
    from app.pipeline.context import Owner, _turn_conditions

    (fed,) = [c for c in _turn_conditions("My baby is 6 weeks and exclusively breastfed.", 0)
              if c.kind == "breastfeeding"]
    assert fed.owner is Owner.USER


def test_chinese_words_for_suicidal_thoughts_gynecomastia_and_the_sun_reach_the_labels_words() -> None:
    assert "suicid" in question_expansions("個仔12歲，食緊Strattera，呢排成日話唔想生存，係咪藥嘅副作用？")
    assert "gynecomastia" in question_expansions("我是男的，最近乳房胀痛还变大了，跟这个药有关吗？")


def test_an_effect_asked_of_the_story_told_before_reads_the_storys_words() -> None:
    from app.pipeline.read_cues import asks_of_what_was_told

    assert asks_of_what_was_told("Is that the pill? Can he keep taking it?")
    assert asks_of_what_was_told("跟这个药有关吗？")
    assert not asks_of_what_was_told("Can he keep taking it?")
    told = "Last night he went out and drove to the petrol station and doesn't remember."
    assert {"sleep", "complex"} <= question_expansions(told)


def test_what_to_watch_before_a_procedure_in_chinese_is_the_procedure_topic() -> None:
    from app.pipeline.zh_sections import topic_of

    topic = topic_of("他下周要拔牙，手术前要注意什么")
    assert topic is not None and topic.name == "procedure" and topic.sections[0] == "warnings"


def test_the_heat_on_a_person_is_no_storage_question() -> None:
    guess = classify_attribute("They're forecasting 35 degrees all week - is there anything to watch with that "
                               "tablet in the heat?").attribute
    assert guess is None or guess.value != "storage"


def test_forgetting_what_was_said_is_no_missed_dose() -> None:
    from app.pipeline.read_missed import MISSED_DOSE, topics_asked

    for said in ("what's the dose range by weight for kids? the nurse said it but I've forgotten",
                 "I forgot how much to give him"):
        assert MISSED_DOSE not in topics_asked(said), said
    for missed in ("I forgot my dose this morning", "I've forgotten to take my pill"):
        assert MISSED_DOSE in topics_asked(missed), missed


def test_a_temperature_said_brings_the_labels_storage_words() -> None:
    assert {"store", "temperatur"} <= question_expansions("Hotel room is about 28 degrees. OK for the syringes?")
    assert "store" not in question_expansions("Can I take it with food?")
