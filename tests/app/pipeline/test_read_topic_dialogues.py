"""Dialogues through the in-process orchestrator over the mini index: a statement is asked back and its medicine
read at the next turn (app.pipeline.statement); a follow-up on its own section is not read as the earlier
turn's interaction question (app.pipeline.read_topic)."""

from __future__ import annotations

from typing import Any

import pytest

from app.enums import Mode, Status
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.state import Turn, TurnRequest
from eval.runtime import load_orchestrator


@pytest.fixture()
def orchestrator(settings_factory: Any, encoder: Any) -> Orchestrator:
    return load_orchestrator(settings_factory(), encoder)


def test_a_statement_is_asked_back_and_the_next_turn_reads_its_medicine(orchestrator: Orchestrator) -> None:
    said = "My doctor put me on warfarin last week."
    first = orchestrator.answer(TurnRequest(said, [], Mode.DRR))
    assert first.status is Status.CLARIFY and not first.citations and not first.queries
    assert "warfarin" in first.text.casefold() and first.text.rstrip().endswith("medicine.")
    dialogue = [Turn("user", said), Turn("assistant", first.text)]
    second = orchestrator.answer(TurnRequest("what are its side effects?", dialogue, Mode.DRR))
    assert second.status is Status.ANSWERED
    assert second.citations and second.citations[0].medicine_id == "warfarin-sodium"


def test_a_follow_up_on_pregnancy_reads_each_label_not_the_interaction(orchestrator: Orchestrator) -> None:
    first = "Can I take ibuprofen with lisinopril?"
    dialogue = [Turn("user", first), Turn("assistant", "...")]
    answer = orchestrator.answer(TurnRequest("what about in pregnancy?", dialogue, Mode.DRR))
    assert answer.citations
    assert all(c.attribute != "interactions" for c in answer.citations)


def test_a_brand_in_the_follow_up_names_its_medicine_and_a_purpose_makes_no_topic(orchestrator: Orchestrator) -> None:
    # "nurofen" is a brand of the lexicon's table, not of the label's aliases; "for my back pain" says why
    dialogue = [Turn("user", "My doctor put me on warfarin last week."), Turn("assistant", "Noted.")]
    answer = orchestrator.answer(TurnRequest("can I take nurofen with it for my back pain?", dialogue, Mode.DRR))
    assert answer.citations
    assert all(c.attribute != "adverse_reactions" for c in answer.citations)
