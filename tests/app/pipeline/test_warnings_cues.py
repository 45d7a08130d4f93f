"""Cue words of the warnings (issue 17): monitoring ("blood counts", "blood tests"), "should I be worried",
stopping suddenly, and holding a medicine before a procedure are what labels answer among their warnings."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from indexing.schema import Attribute


# -- monitoring, stopping suddenly, holding before a procedure: the warnings ----------------------------------
@pytest.mark.parametrize("question", [
    "Why does my neurologist keep ordering blood counts while I'm on Tegretol?",
    "Do I need any blood tests with the new one?", "pravastatine and aching legs - should I be worried",
    "What happens if he suddenly stops his?", "ASA 81 mg - hold before dental extraction?",
    "do I need to stop warfarin before my surgery?",
])
def test_monitoring_and_stopping_ask_the_warnings(question: str) -> None:
    assert classify_attribute(question).attribute is Attribute.WARNINGS


@pytest.mark.parametrize(("question", "section"), [
    ("should I stop taking it before bed", Attribute.DOSAGE),
    ("what dose of metformin should I take", Attribute.DOSAGE),
])
def test_stopping_words_without_a_procedure_keep_their_section(question: str, section: Attribute) -> None:
    assert classify_attribute(question).attribute is section

