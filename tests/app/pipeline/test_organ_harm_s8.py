"""Harm a medicine may do to the liver or kidneys is among the label's warnings."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute


@pytest.mark.parametrize("question", [
    "Will atorvastatin damage my liver? I drink a fair bit",
    "is ibuprofen bad for your kidneys?",
])
def test_harm_to_an_organ_is_a_warnings_question(question: str) -> None:
    guess = classify_attribute(question)
    assert guess.attribute is not None and guess.attribute.value == "warnings"


def test_a_failing_organ_with_a_dose_stays_a_dose() -> None:
    assert classify_attribute("what dose of metformin with kidney disease?").attribute.value == "dosage"
