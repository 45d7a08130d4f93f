"""'What are the signs of pancreatitis on it?' asks the warnings, strongly enough to outweigh the intent model."""

from __future__ import annotations

from app.pipeline.attributes import classify_attribute
from app.pipeline.intent import STRONG_CUE


def test_the_signs_of_a_harm_are_a_strong_warnings_cue() -> None:
    guess = classify_attribute("what are the signs of pancreatitis on semaglutide")
    assert guess.attribute is not None and guess.attribute.value == "warnings"
    assert guess.scores["warnings"] >= STRONG_CUE


def test_the_signs_of_an_overdose_stay_an_overdose() -> None:
    assert classify_attribute("what are the signs of an overdose of it?").attribute.value == "overdosage"
