"""A population heading glued to a label sentence (issue 18): it goes when the sentence says it again, stays as
the line's lead when it is the only word of whom the line is for; a line for children's ages is a child's line."""

from __future__ import annotations

import pytest

from app.pipeline.compose import strip_glued_heading, strip_heading
from app.pipeline.read_cues import children_only, population_fit


def _clean(sentence: str) -> str:
    return strip_glued_heading(strip_heading(sentence))


def test_a_numbered_heading_said_again_by_its_sentence_goes() -> None:
    glued = ("Pediatric Patients 6 Years of Age and Older with Hypertension For pediatric patients able to swallow "
             "tablets, the usual starting dose is 2.5 mg once daily.")
    assert _clean(glued) == ("For pediatric patients able to swallow tablets, the usual starting dose is 2.5 mg "
                             "once daily.")


@pytest.mark.parametrize("sentence", [
    "Pediatric Patients Age 3 to 11 years The starting dose range is 10 mg/kg/day in three divided doses.",
    "Adults and Children 12 Years and Older Take 2 caplets every 6 hours while symptoms last.",
])
def test_a_heading_that_alone_says_the_ages_is_kept(sentence: str) -> None:
    cleaned = _clean(sentence)
    assert cleaned.split(" ")[:2] == sentence.split(" ")[:2]
    assert any(ch.isdigit() for ch in cleaned.split(" the ")[0].split(" The ")[0])


def test_a_childrens_heading_before_an_opener_becomes_the_lead() -> None:
    cleaned = _clean("Pediatric Dosing Chewable tablets The recommended dose is 5 mg at bedtime.")
    assert cleaned == "Pediatric Dosing Chewable tablets: The recommended dose is 5 mg at bedtime."
    # a heading that names no child or age still goes
    assert _clean("Adult Dosage Extended-release tablets The recommended starting dose is 500 mg.") == (
        "The recommended starting dose is 500 mg.")


@pytest.mark.parametrize(("text", "expected"), [
    ("Epilepsy in patients 3 to 12 years of age: viral infection, fever, nausea and somnolence", True),
    ("Do not use in those younger than 6 years.", True),
    ("Patients 12 years of age and older: 300 mg three times a day.", False),
    ("The most common adverse reactions were dizziness and somnolence.", False),
])
def test_ages_ending_in_childhood(text: str, expected: bool) -> None:
    assert children_only(text) is expected


def test_an_adult_asker_is_not_given_a_line_for_young_ages() -> None:
    child_line = "Epilepsy in patients 3 to 12 years of age: the most common reactions were viral infection and fever."
    adult_line = "The most common adverse reactions were dizziness and somnolence."
    for attribute in ("adverse_reactions", "dosage"):
        assert population_fit(child_line, [], attribute) < population_fit(adult_line, [], attribute)


def test_a_breastfed_child_is_no_child_patient() -> None:
    from app.pipeline.read_cues import conditions_in

    nursing = "There are no available data on the effects on the breastfed child, or the effects on milk production."
    child = conditions_in("My daughter has asthma. Can she use my inhaler?")
    assert population_fit(nursing, child, "indications", "lactation") < 0
    mother = conditions_in("I'm breastfeeding my daughter. Can I use my inhaler?")
    assert population_fit(nursing, mother, "lactation", "lactation") >= 0
