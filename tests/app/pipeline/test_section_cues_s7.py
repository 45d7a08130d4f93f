"""Which section a question asks (seventh session): an effect the label warns about is its warnings, a symptom
put down to the medicine in everyday words is its adverse reactions, and a few everyday ways of asking what a
product holds, how to apply or give it, when it goes off or what an animal or child swallowing it means.
Each pair: the new reading, and a near question that keeps its old one."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.intent import STRONG_CUE


def _section(question: str) -> str | None:
    """The section the cue words name strongly enough to come before the intent model's own first."""
    guess = classify_attribute(question)
    if guess.attribute is None or guess.scores[guess.attribute.value] < STRONG_CUE:
        return None
    return guess.attribute.value


def _top(question: str) -> str | None:
    guess = classify_attribute(question)
    return guess.attribute.value if guess.attribute is not None else None


@pytest.mark.parametrize(("question", "near", "near_section"), [
    ("I'm now on bupropion. Can it cause seizures?", "Can it cause a headache?", "adverse_reactions"),
    ("Does oxcarbazepine cause low sodium?", "Does oxcarbazepine cause nausea?", "adverse_reactions"),
    ("Omeprazole for ten years now - could it be thinning my bones?", "does it give you bone pain?",
     "adverse_reactions"),
    ("Will the new tablet make me dizzy when I stand?", "Can his make you dizzy?", "adverse_reactions"),
    ("Can it make an old lady muddled or forgetful?", "does metformin make you feel sick?", "adverse_reactions"),
    ("citalopram 40mg - does it prolong the QT?", "what are the side effects of citalopram", "adverse_reactions"),
    ("hydrochlorothiazide - does it mess with potassium levels?", "does it mess up my periods?",
     "adverse_reactions"),
    ("my gran's on donepezil and she's been falling over a lot, could the tablets do that",
     "she's been very sleepy lately, could the tablets do that", "adverse_reactions"),
    ("Is it bad for my bones long term?", "what are the long term side effects", "adverse_reactions"),
])
def test_an_effect_the_label_warns_about_asks_its_warnings(question: str, near: str, near_section: str) -> None:
    assert _section(question) == "warnings"
    assert _top(near) == near_section


@pytest.mark.parametrize("question", [
    "Is it harmful to use long term?", "Is it safe to stay on zolpidem long-term?",
    "my 15 yo was just put on fluoxetine, what should we be watching for",
    "what happens if I stop my venlafaxine suddenly?",
])
def test_long_use_monitoring_and_stopping_ask_the_warnings(question: str) -> None:
    assert _section(question) == "warnings"


@pytest.mark.parametrize("question", [
    "Could that be the tablet?",
    "I keep waking up at 3am. Is that the medicine?",
    "Does warfarin interfere with my sleep?",
    "atorvastatin and tummy trouble, common?",
    "quetiapine and weight - will I put on weight?",
    "why am i so cold taking this medicine",
    "what can i do if unusual bruising appears after injecting this medicine",
    "how long do the side effects last after taking medroxyprogesterone",
])
def test_a_symptom_put_down_to_the_medicine_asks_its_reactions(question: str) -> None:
    assert _section(question) == "adverse_reactions"


@pytest.mark.parametrize(("question", "section"), [
    ("how much acetaminophen in acetaminophen and codeine", "description"),
    ("howmuch aspirin in butalbital", "description"),
    ("what is in this drug", "description"),
    ("what size pill is it", "dosage_forms"),
    ("how to identify these tablets", "dosage_forms"),
    ("how many years will this pill be potent", "storage"),
    ("can i keep my insulin glargine pen in my handbag once it's opened", "storage"),
    ("fentanyl patch, what if it doesn't stick well", "dosage"),
    ("what is rate for iv infusion cilastatin/imipenem", "dosage"),
    ("can i eat after taking this drug?", "dosage"),
    ("this medicine after dinner and bed time?", "dosage"),
    ("how dangerous is cutting the tablets", "dosage"),
    ("what happened if one takes a double does of simvastatin", "overdosage"),
    ("what happens if your child ate this tablet", "overdosage"),
    ("my dog got hold of my husband's amlodipine and chewed up a couple", "overdosage"),
    ("what ingredient in walnut interferes with synthroid drug absorption", "interactions"),
    ("ciprofloxacin with a multivitamin?", "interactions"),
    ("why to take it", "indications"),
])
def test_everyday_wording_names_the_section(question: str, section: str) -> None:
    assert _section(question) == section


@pytest.mark.parametrize(("question", "section"), [
    ("how much tylenol in a day", "dosage"),
    ("how big is the risk of bleeding", None),
    ("how long does it take to work", "pharmacology"),
])
def test_near_wording_keeps_its_section(question: str, section: str | None) -> None:
    """Guards for the cues above (they passed before them too): a dose per day is no content, a risk's size
    no pill size, how long it takes to work still pharmacology."""
    assert _section(question) == section


def test_a_meal_named_for_a_food_is_no_dosing_time() -> None:
    """'after dinner' says when to take it; 'grapefruit juice at breakfast' asks about the juice."""
    assert _section("this medicine after dinner and bed time?") == "dosage"
    assert _top("I'm on Lipitor and Glucophage. Can I still have grapefruit juice at breakfast?") == "interactions"


@pytest.mark.parametrize(("question", "section"), [
    ("i take lorazepam, my eyes are blurry, if i stop taking it, will my eyes clear up ?", "adverse_reactions"),
    ("will the dizziness pass?", "adverse_reactions"),
    ("is there acetaminophen in Norco?", "description"),
    ("is there any alcohol in the cough syrup?", "description"),
    ("does prednisone raise your blood sugar", "warnings"),
    ("can it increase my heart rate?", "warnings"),
])
def test_an_effect_passing_what_it_holds_and_a_level_it_raises(question: str, section: str) -> None:
    assert _section(question) == section


def test_near_questions_keep_their_reading() -> None:
    """A problem 'in taking it' is no content, a pain in one's legs no ingredient (asked whether it is normal: an
    effect, session 10), lowering the blood pressure is what amlodipine is for, and passing into breast milk is
    lactation."""
    assert _top("is there a problem in taking it with food") == "dosage"
    assert _top("any pain in my legs is normal?") == "adverse_reactions"
    assert _top("does amlodipine lower blood pressure") is None
    assert _top("will it pass through breast milk") == "lactation"
    assert _section("is there sugar in it") == "description"
