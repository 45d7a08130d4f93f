"""Handling a dose form is no question of how much (read_dose): 'is it ok to crush my metoprolol?' is answered by
the administration line, and a salt said with the name ('succinate') is no word to match. Session 8."""

from __future__ import annotations

from app.pipeline.read import ExtractiveReader
from app.pipeline.read_dose import asks_dose, asks_handling
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"metoprolol:{attribute}:{i}", "metoprolol", attribute, i, text, title="metoprolol"),
                    0.03, 0, i)


EVIDENCE = [
    _ev("dosage", "Hypertension: Starting dose is 25 mg to 100 mg once daily. The usual initial dosage is 25 mg to "
                  "100 mg daily in a single dose. In general, the maximum effect of any given dosage level will be "
                  "apparent after 1 week of therapy."),
    _ev("dosage", "Administration: Metoprolol succinate extended-release tablets are scored and can be divided; "
                  "however, do not crush or chew the whole or half tablet.", 1),
]


def test_the_line_that_answers_is_quoted() -> None:
    question = "is it ok to crush my metoprolol succinate?"
    result = ExtractiveReader().read_evidence(question, [SearchQuery("metoprolol", "dosage", question)], EVIDENCE)
    assert any("do not crush or chew" in c.quote for c in result.citations), result.text


def test_a_plain_dose_question_keeps_the_labels_order() -> None:
    question = "how much metoprolol should I take?"
    result = ExtractiveReader().read_evidence(question, [SearchQuery("metoprolol", "dosage", question)], EVIDENCE)
    assert result.citations and "Starting dose" in result.citations[0].quote, result.text


def test_handling_a_dose_form_is_no_dose_question() -> None:
    assert not asks_dose("is it ok to crush my metoprolol?", "dosage")
    assert not asks_dose("can I open the capsule and sprinkle it on applesauce?", "dosage")
    assert asks_dose("how many can I take if I split them?", "dosage")
    assert asks_dose("what dose of metoprolol?", "dosage")


def test_a_strength_told_before_the_asking_sentence_asks_no_amount() -> None:
    # "I take alendronate 70mg once a week. How long must I stay upright?" asks how to handle the dose
    assert asks_handling("I take alendronate 70mg once a week. How long do I have to stay upright after taking it?")
    assert not asks_dose("I take alendronate 70mg once a week. How long do I have to stay upright after it?", "dosage")
    assert asks_handling("Can I lie down straight after my Fosamax?")
    assert not asks_handling("Ever since I've had a dry cough, worse when I lie down at night. Is it the tablet?")
    assert not asks_handling("I crush them. How many mg can I take a day?")


ALENDRONATE = [
    Evidence(Chunk("alendronate:dosage:0", "alendronate", "dosage", 0,
                   "Treatment of osteoporosis in postmenopausal women and in men: 10 mg daily or 70 mg (tablet) once "
                   "weekly.", title="alendronate"), 0.03, 0, 0),
    Evidence(Chunk("alendronate:dosage:1", "alendronate", "dosage", 1,
                   "Patients should not lie down for at least 30 minutes and until after their first food of the "
                   "day.", title="alendronate"), 0.03, 0, 1),
]


def test_staying_upright_is_answered_by_the_lying_down_line_not_the_regimen() -> None:
    question = "I take alendronate 70mg once a week. How long do I have to stay upright after taking it?"
    result = ExtractiveReader().read_evidence(question, [SearchQuery("alendronate", "dosage", question)], ALENDRONATE)
    assert result.citations and "not lie down" in result.citations[0].quote, result.text
