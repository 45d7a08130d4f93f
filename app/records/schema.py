"""Validated shapes of patients and records, shared by the API and the JSONL importer.

Record format (docs/architecture.md): {"patient_id", "record_id", "date": "YYYY-MM-DD", "kind", "text",
"regions": {"<region>": "text"}, "images": ["path", ...]}. A record without a record_id gets one derived
from its content, so importing the same file twice does not duplicate it.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from app.records.model import Record
from app.text_input import StorableText, check_json, check_text

PatientId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128,
                                             pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$")]
RecordId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128,
                                            pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$")]
Kind = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
MAX_TEXT_CHARS = 100_000
# Free-form demographics: a few levels of objects, a few kilobytes (checked before anything is stored).
MAX_DEMOGRAPHICS_DEPTH = 8
MAX_DEMOGRAPHICS_BYTES = 64_000
MAX_REGIONS = 200
MAX_IMAGES = 100
RegionName = Annotated[str, StringConstraints(max_length=200), AfterValidator(check_text)]
RegionText = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS), AfterValidator(check_text)]
ImagePath = Annotated[str, StringConstraints(min_length=1, max_length=1000), AfterValidator(check_text)]


def derived_record_id(kind: str, day: str, text: str) -> str:
    digest = hashlib.sha1(f"{kind}\n{day}\n{text}".encode()).hexdigest()[:16]
    return f"{kind}-{digest}"


class RecordIn(BaseModel):
    """One record as posted or imported (patient_id comes from the URL or the line)."""

    model_config = ConfigDict(extra="forbid")

    record_id: RecordId | None = Field(None, description="omit to derive one from the content")
    date: date
    kind: Kind = Field(..., description="radiology_report, medication_list, visit_note, ...")
    text: StorableText = Field(..., min_length=1, max_length=MAX_TEXT_CHARS)
    regions: dict[RegionName, RegionText] = Field(default_factory=dict, max_length=MAX_REGIONS,
                                                  description="region name -> text about it")
    images: list[ImagePath] = Field(default_factory=list, max_length=MAX_IMAGES)

    @field_validator("kind", mode="before")
    @classmethod
    def _lower_kind(cls, v: Any) -> Any:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("text must not be empty")
        return v.strip()

    def to_record(self, patient_id: str) -> Record:
        day = self.date.isoformat()
        return Record(
            patient_id=patient_id,
            record_id=self.record_id or derived_record_id(self.kind, day, self.text),
            date=day,
            kind=self.kind,
            text=self.text,
            regions=dict(self.regions),
            images=tuple(self.images),
        )


class RecordLine(RecordIn):
    """A line of a records JSONL file: a record with its patient."""

    patient_id: PatientId


class PatientIn(BaseModel):
    """A patient as posted; demographics are optional."""

    model_config = ConfigDict(extra="forbid")

    patient_id: PatientId
    name: StorableText | None = Field(None, max_length=200)
    birth_date: date | None = None
    sex: StorableText | None = Field(None, max_length=16)
    demographics: dict[str, Any] = Field(
        default_factory=dict,
        description=f"anything else (race, city, ...): at most {MAX_DEMOGRAPHICS_DEPTH} levels deep and "
                    f"{MAX_DEMOGRAPHICS_BYTES} bytes of JSON",
    )

    @field_validator("demographics")
    @classmethod
    def _bounded(cls, v: dict[str, Any]) -> dict[str, Any]:
        return check_json(v, MAX_DEMOGRAPHICS_DEPTH, MAX_DEMOGRAPHICS_BYTES)


class PatientOut(BaseModel):
    patient_id: str
    name: str | None
    birth_date: date | None
    sex: str | None
    demographics: dict[str, Any]
    n_records: int
    kinds: dict[str, int]
    latest_record: date | None


class RecordOut(BaseModel):
    patient_id: str
    record_id: str
    date: date
    kind: str
    text: str
    regions: dict[str, str]
    images: list[str]

    @classmethod
    def of(cls, r: Record) -> RecordOut:
        return cls(patient_id=r.patient_id, record_id=r.record_id, date=date.fromisoformat(r.date), kind=r.kind,
                   text=r.text, regions=dict(r.regions), images=list(r.images))


class RecordsAdded(BaseModel):
    patient_id: str
    added: int
    replaced: int
    record_ids: list[str]


class RecordHitOut(BaseModel):
    record: RecordOut
    chunk: str
    score: float
