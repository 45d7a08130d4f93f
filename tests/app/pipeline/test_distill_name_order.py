"""Names found only in a question's simplified-script form ("波立維和奧美拉唑" read as 波立维, 奥美拉唑)."""

from __future__ import annotations

from app.pipeline.distill import _on_one_adding_another
from app.pipeline.lexicon import NameMatch


def test_two_names_absent_from_the_written_question_do_not_break_the_order() -> None:
    # both surfaces are simplified forms: neither stands in the traditional text, so both place at -1 (this
    # raised TypeError comparing the two matches: HTTP 500 for the question below)
    latest = [NameMatch("波立维", "clopidogrel", 0, "exact"), NameMatch("奥美拉唑", "omeprazole", 2, "exact")]
    assert _on_one_adding_another("波立維和奧美拉唑可以一起吃嗎？", latest) is False


def test_names_in_the_written_question_still_order_by_place() -> None:
    latest = [NameMatch("digoxin", "digoxin", 5, "exact"), NameMatch("amiodarone", "amiodarone", 2, "exact")]
    assert _on_one_adding_another("Patient on amiodarone; planning to add digoxin", latest) is True
