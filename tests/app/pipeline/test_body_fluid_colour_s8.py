"""A body fluid coloured by a medicine ("can it change the colour of urine?") is an effect, not the pill's look."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute


@pytest.mark.parametrize("question", [
    "Dad's on carbidopa/levodopa and his pee looks really dark - can the tablets change the colour of urine?",
    "can rifampin turn your urine orange?",
    "my wee has turned orange, is that the medicine?",
])
def test_a_coloured_body_fluid_is_a_reaction(question: str) -> None:
    guess = classify_attribute(question)
    assert guess.attribute is not None and guess.attribute.value == "adverse_reactions"


def test_the_pills_colour_stays_its_look() -> None:
    assert classify_attribute("what colour is the 5 mg tablet?").attribute.value == "dosage_forms"
