"""Living with a long-term condition (session 33), asked over the real server (`clinqa serve` on 127.0.0.1) with a
small corpus cut from corpora/medicines.jsonl: an effect asked of one medicine while a statin and vitamin D are told
as also taken, a potassium result asked of spironolactone beside a beta blocker and a diuretic, the common side
effects of pregabalin (a sentence that had been cut in two by the chunker), sertraline late in pregnancy, a brand
followed by "plus two other tablets", a cough syrup described by what is in it, the eye tests of hydroxychloroquine,
and a switch from warfarin to apixaban."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("aripiprazole", "ergocalciferol", "atorvastatin", "spironolactone", "bisoprolol-fumarate", "furosemide",
        "pregabalin", "sertraline", "dolutegravir-sodium", "rasagiline", "hydroxychloroquine-sulfate", "apixaban",
        "warfarin", "methotrexate", "amiodarone-hydrochloride")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("long_term"), KEEP) as url:
        yield url


def _cited(body: dict[str, Any]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]


def test_an_effect_asked_while_others_are_told_as_also_taken(base: str) -> None:
    body = chat(base, "My husband has been on Abilify for schizoaffective disorder for two years, it was increased "
                      "in the spring. Since then he's lost over four thousand pounds on online betting and he never "
                      "used to gamble. Is there any link with the tablets? He also takes a statin and vitamin D.")
    assert body["status"] == "answered"
    assert set(_cited(body)) == {"aripiprazole"}
    assert "gambling" in body["answer"]


def test_a_potassium_result_asked_of_spironolactone(base: str) -> None:
    body = chat(base, "Letter from the heart clinic says my potassium is 5.7. I'm on spironolacton 25mg for heart "
                      "failure (plus bisoprolol and furosemide). Is the high potassium from the spironolactone and "
                      "what should happen?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "spironolactone"
    assert "hyperkalemia" in body["answer"].casefold()


def test_the_common_side_effects_are_quoted_whole(base: str) -> None:
    body = chat(base, "I just started pregabalin for nerve pain, what are the most common side effects?")
    assert body["status"] == "answered"
    assert "in adults are dizziness, somnolence, dry mouth" in body["answer"]


def test_late_pregnancy_reads_the_third_trimester_line(base: str) -> None:
    body = chat(base, "I'm 32 weeks pregnant and on sertraline. Any risk for the baby this late on?")
    assert body["status"] == "answered"
    assert "Third trimester" in body["answer"] or "third trimester" in body["answer"]
    assert not body["answer"].split(": ", 1)[1].startswith("There is a pregnancy exposure registry")


def test_a_brand_plus_other_tablets_is_the_brand(base: str) -> None:
    body = chat(base, "hi, I'm on Tivicay plus two other HIV tablets, viral load undetectable for three years.",
                "we're trying to conceive. I read years ago that this one caused spine problems in babies, is that "
                "still what they say?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "dolutegravir-sodium"


def test_a_syrup_described_by_what_is_in_it(base: str) -> None:
    body = chat(base, "I take rasagiline 1 mg for Parkinson's.",
                "I've got a chesty cough that's keeping me up. Can I take one of those supermarket cough syrups with "
                "dextromethorphan in it?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "rasagiline"
    assert "dextromethorphan" in body["answer"] and "contraindicated" in body["answer"]


def test_why_the_eye_tests(base: str) -> None:
    body = chat(base, "I'm 58, lupus, been on Plaquenil 400mg a day for about six years. My new rheumatologist wants "
                      "me to have special eye tests every year now. I've never had any eye trouble. Why do I need "
                      "these?")
    assert body["status"] == "answered"
    assert body["citations"][0]["attribute"] != "indications"
    assert "retina" in body["answer"].casefold()


def test_a_switch_from_warfarin_reads_the_new_ones_switching_line(base: str) -> None:
    body = chat(base, "I've been on warfarin for 6 years for AF.",
                "They're moving me onto Eliquis. How does the changeover work, do I take my last warfarin tonight and "
                "start the new one tomorrow?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "apixaban"
    assert "Switching from warfarin to ELIQUIS" in body["answer"]


def test_what_the_blood_tests_are_checking_for(base: str) -> None:
    body = chat(base, "I'm on methotrexate for psoriasis. The nurse says I need blood tests every 3 months - what are "
                      "they checking for?")
    assert body["status"] == "answered"
    assert body["citations"][0]["attribute"] != "indications"
    assert "Monitor" in body["answer"]


def test_a_medicine_taken_for_years_is_not_read_as_a_condition(base: str) -> None:
    body = chat(base, "My dad has been on amiodarone for years. Now his skin goes a bit blue-grey in the sun. Is "
                      "that from it?")
    assert body["status"] == "answered"
    assert "blue-gray discoloration" in body["answer"].split("[1]")[0]


def test_a_dose_asked_after_another_medicine_was_just_started(base: str) -> None:
    body = chat(base, "I'm on warfarin and my GP just started me on amiodarone. Anything I need to know?",
                "does the warfarin dose need to change?")
    assert body["status"] == "answered"
    assert "Reduce warfarin dose by one-third to one-half" in body["answer"]


def test_a_salt_substitute_beside_spironolactone_is_read_in_its_label(base: str) -> None:
    # (the retrained intent model leans to the dosing for "Any problem?"; no dose is asked of a salt substitute)
    body = chat(base, "I've just started spironolactone.", "I use LoSalt instead of regular salt. Any problem?")
    assert body["status"] == "answered" and "salt substitutes" in body["answer"], body["answer"]
