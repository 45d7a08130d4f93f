"""What clinqa knows about a patient, as plain values: stored records, and what a chat turn takes from them.

This module imports nothing else from `app`, so the pipeline's turn state can carry a patient's context
without depending on the records store, search or MAG stages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from app.enums import Mag

# Kinds the MAG stages know by name; others are stored and searched like any record.
IMAGING_KINDS = ("radiology_report", "imaging_report", "imaging_study")
MEDICATION_LIST = "medication_list"
ALLERGY_LIST = "allergy_list"
PROBLEM_LIST = "problem_list"


@dataclass(frozen=True, slots=True)
class Record:
    """One dated entry of a patient's history."""

    patient_id: str
    record_id: str
    date: str
    kind: str
    text: str
    regions: dict[str, str] = field(default_factory=dict)
    images: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordSnippet:
    """A piece of a patient's history put before the reader (cited as a record, not as label evidence)."""

    record_id: str
    kind: str
    date: str
    text: str
    scope: str  # "global" | "regional"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class RecordCitation:
    """A patient record the answer relied on, numbered R1, R2, ... like the reader's history block."""

    n: int
    record_id: str
    kind: str
    date: str
    quote: str
    scope: str = "global"  # "global" | "regional"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Partner:
    """A current medication of the patient checked against the asked drug (an interaction partner)."""

    medicine_id: str
    name: str
    source: str  # the record's wording

    def to_dict(self) -> dict[str, str]:
        return {"medicine_id": self.medicine_id, "name": self.name, "from": self.source}


@dataclass(frozen=True, slots=True)
class AllergyConflict:
    medicine_id: str
    allergy: str  # the record's wording
    # "name": the allergy names the drug; "class": it names a class the drug is in (penicillin, amoxicillin);
    # "label": the drug's contraindications name the allergen
    how: str
    said: bool = False  # the allergy was said in the conversation, not read from the records

    def to_dict(self) -> dict[str, str | bool]:
        out: dict[str, str | bool] = {"medicine_id": self.medicine_id, "allergy": self.allergy, "how": self.how}
        if self.said:
            out["said"] = True
        return out


@dataclass
class PatientContext:
    """What MedRecord-augmented generation knows about the patient for this turn."""

    patient_id: str
    mag: Mag = Mag.ALL
    snippets: list[RecordSnippet] = field(default_factory=list)
    current_medications: list[str] = field(default_factory=list)
    # Medication entry -> the database medicines it is (by RxNorm code first, then by name; see
    # app.records.medications). An entry missing here is matched by name where it is used.
    medicine_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    allergies: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)  # the active problem list's entries
    # Medicine id -> the words its label uses for the other drug of a label-linked interaction with the
    # asked drug ({"lisinopril": ["NSAIDs"]}); added to that medicine's interaction query.
    interaction_terms: dict[str, list[str]] = field(default_factory=dict)
    # Records the medication and allergy facts were read from (logged as read even when not quoted).
    fact_records: list[str] = field(default_factory=list)
    # How the context was chosen (topic, region, asked medicines, label links): for the audit trail.
    audit: dict[str, Any] = field(default_factory=dict)

    @property
    def records_read(self) -> list[str]:
        """Every record whose content this turn used: put before the reader, or read for facts."""
        return list(dict.fromkeys([*(s.record_id for s in self.snippets), *self.fact_records]))
