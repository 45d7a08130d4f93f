"""An operation coming up is a question of the label's warnings (stopping beforehand, bleeding, anaesthesia)."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute


@pytest.mark.parametrize("question", [
    "started tamsulosin and I'm having cataract surgery in a month, anything I should tell the eye surgeon?",
    "I have a hip op on Friday, should I keep taking it?",
])
def test_an_operation_is_a_warnings_question(question: str) -> None:
    guess = classify_attribute(question)
    assert guess.attribute is not None and guess.attribute.value == "warnings"


def test_a_dose_after_surgery_stays_a_dose() -> None:
    assert classify_attribute("what dose of apixaban after hip replacement surgery?").attribute.value == "dosage"
