"""Being in the sun on a medicine is a precaution of the label's warnings (photosensitivity)."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute


@pytest.mark.parametrize("question", [
    "going to spain next week, how bad is the sun sensitivity on doxycycline?",
    "Can I sit out in the sun while I'm on it?",
    "do I need sunscreen on this?",
])
def test_sun_exposure_is_a_warnings_question(question: str) -> None:
    guess = classify_attribute(question)
    assert guess.attribute is not None and guess.attribute.value == "warnings"


def test_an_effect_on_sun_sensitivity_stays_a_reaction() -> None:
    assert classify_attribute("does it make you more sensitive to the sun?").attribute.value == "adverse_reactions"
