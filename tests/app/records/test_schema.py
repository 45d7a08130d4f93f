"""app/records/schema.py: the shapes the API and the JSONL importer share refuse what cannot be stored."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.records.schema import MAX_DEMOGRAPHICS_DEPTH, PatientIn, RecordLine


def _deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def test_demographics_depth_and_size_are_bounded() -> None:
    assert PatientIn(patient_id="p1", demographics=_deep(MAX_DEMOGRAPHICS_DEPTH)).demographics
    for bad in (_deep(MAX_DEMOGRAPHICS_DEPTH + 1), _deep(900), {"notes": "x" * 70_000}, {"city": "Bos\x00ton"}):
        with pytest.raises(ValidationError, match="demographics"):
            PatientIn(patient_id="p1", demographics=bad)


@pytest.mark.parametrize("field", ["name", "sex"])
def test_patient_text_must_be_storable(field: str) -> None:
    with pytest.raises(ValidationError, match="NUL"):
        PatientIn.model_validate({"patient_id": "p1", field: "F\x00"})


@pytest.mark.parametrize(
    "change",
    [{"text": "on warfarin\x00"}, {"text": "on warfarin\ud800"}, {"regions": {"left lung": "clear\x00"}},
     {"regions": {"left\x00lung": "clear"}}, {"images": ["cxr\x00.png"]}, {"patient_id": "p\x00"},
     {"regions": {f"r{i}": "x" for i in range(201)}}],
)
def test_imported_record_lines_are_checked_like_api_bodies(change: dict[str, Any]) -> None:
    line = {"patient_id": "p1", "date": "2020-01-01", "kind": "visit_note", "text": "on warfarin", **change}
    with pytest.raises(ValidationError):
        RecordLine.model_validate(line)
