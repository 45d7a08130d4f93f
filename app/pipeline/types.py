"""Values passed between pipeline stages. Each stage records what it did for the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from indexing.schema import Chunk


class Mode(StrEnum):
    DRR = "drr"  # Distill-Retrieve-Read
    RTR = "rtr"  # Retrieve-then-Read on the raw last user turn

    @classmethod
    def from_str(cls, value: str) -> Mode:
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise ValueError(f"unknown mode {value!r}; expected 'drr' or 'rtr'") from None


class Mag(StrEnum):
    """MedRecord-augmented generation: which of the patient's records the reader sees."""

    NONE = "none"  # records are not used at all
    GLOBAL = "global"  # the most recent record(s) of the relevant kind
    REGIONAL = "regional"  # sentences of prior records about the asked region or drug
    ALL = "all"  # both

    @classmethod
    def from_str(cls, value: str) -> Mag:
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise ValueError(f"unknown mag {value!r}; expected 'none', 'global', 'regional' or 'all'") from None


@dataclass(frozen=True, slots=True)
class Turn:
    role: str  # "user" | "assistant"
    content: str


@dataclass(frozen=True, slots=True)
class SearchQuery:
    medicine: str | None
    attribute: str | None
    keywords: str

    def to_dict(self) -> dict[str, Any]:
        return {"medicine": self.medicine, "attribute": self.attribute, "keywords": self.keywords}


@dataclass(frozen=True, slots=True)
class DrugMention:
    """A drug named in the dialogue; medicine_id is None when it is not in the database."""

    text: str
    medicine_id: str | None
    turn: int


@dataclass(frozen=True, slots=True)
class Distillation:
    queries: list[SearchQuery]
    unknown_drugs: list[str] = field(default_factory=list)
    backend: str = "rules"
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Evidence:
    chunk: Chunk
    score: float
    query_index: int
    rank: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "chunk_id": self.chunk.chunk_id,
            "medicine_id": self.chunk.medicine_id,
            "attribute": self.chunk.attribute,
            "score": round(self.score, 6),
            "query_index": self.query_index,
            "rank": self.rank,
        }


@dataclass(frozen=True, slots=True)
class Citation:
    medicine_id: str
    attribute: str
    chunk_id: str
    quote: str
    n: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    queries: list[SearchQuery]
    evidence: list[Evidence]
    k: int
    mode: Mode
    status: str = "answered"  # answered | no_evidence | unknown_drug
    audit: dict[str, Any] = field(default_factory=dict)
    record_citations: list[RecordCitation] = field(default_factory=list)


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


@dataclass
class PatientContext:
    """What MedRecord-augmented generation knows about the patient for this turn."""

    patient_id: str
    mag: str = "all"  # none | global | regional | all
    snippets: list[RecordSnippet] = field(default_factory=list)
    current_medications: list[str] = field(default_factory=list)
    allergies: list[str] = field(default_factory=list)
    # Medicine id -> the words its label uses for the other drug of a label-linked interaction with the
    # asked drug ({"lisinopril": ["NSAIDs"]}); added to that medicine's interaction query.
    interaction_terms: dict[str, list[str]] = field(default_factory=dict)
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReadRequest:
    question: str
    dialogue: list[Turn]
    queries: list[SearchQuery]
    evidence: list[Evidence]
    patient: PatientContext | None = None
    images: list[str] = field(default_factory=list)
    # A streaming reader passes the answer's text here as it is generated (SSE); None: not streaming.
    on_token: Callable[[str], None] | None = None
