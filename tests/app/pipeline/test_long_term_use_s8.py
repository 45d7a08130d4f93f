"""Taking a medicine for years or long term asks what long use risks: the label's warnings."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute


@pytest.mark.parametrize("question", [
    "is it ok to take omeprazole for years? been on it since 2015",
    "is it ok to take ibuprofen every day long term for my back?",
    "is it safe to stay on it forever?",
])
def test_long_use_is_a_warnings_question(question: str) -> None:
    guess = classify_attribute(question)
    assert guess.attribute is not None and guess.attribute.value == "warnings"


def test_long_term_side_effects_stay_reactions_and_a_dose_stays_a_dose() -> None:
    long_term = classify_attribute("what are the long term side effects of prednisone").attribute
    assert long_term is not None and long_term.value == "adverse_reactions"
    assert classify_attribute("been on it for years, what dose should I be on?").attribute.value == "dosage"
    assert classify_attribute("what happens when you take lansoprazole long term").scores.get("warnings") is None
    purpose = classify_attribute("I have had migraines for years, what is sumatriptan for?").attribute
    assert purpose is not None and purpose.value == "indications"
