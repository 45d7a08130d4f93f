"""An ingestion or overdose read (the overdosage section asked): a line about a missed or doubled dose is quoted
only where the question says a dose was doubled. New-user trial, session 8."""

from __future__ import annotations

from app.pipeline.read import ExtractiveReader
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"metoprolol:{attribute}:{i}", "metoprolol", attribute, i, text, title="metoprolol"),
                    0.03, 0, i)


EVIDENCE = [
    _ev("overdosage", "Overdosage of metoprolol may lead to severe bradycardia, hypotension, and cardiogenic shock. "
                      "Beta-blocker overdose may result in significant resistance to resuscitation."),
    _ev("patient_counseling", "If a dose is missed, the patient should take only the next scheduled dose (without "
                              "doubling it). Patients should be advised to take metoprolol regularly.", 1),
]


def _read(question: str) -> str:
    return ExtractiveReader().read_evidence(question, [SearchQuery("metoprolol", "overdosage", question)],
                                            EVIDENCE).text


def test_a_child_who_swallowed_tablets_gets_no_missed_dose_line() -> None:
    text = _read("my 3 year old swallowed two of my metoprolol tablets")
    assert "severe bradycardia" in text and "If a dose is missed" not in text


def test_a_doubled_dose_keeps_the_do_not_double_line() -> None:
    text = _read("I accidentally took my metoprolol twice this morning")
    assert "severe bradycardia" in text and "without doubling it" in text
