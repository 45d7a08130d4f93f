"""The values of one chat turn: what comes in (`TurnRequest`), what the stages carry (`TurnState`) and what
goes out (`Answer`). Every stage reads and writes typed fields here; the audit trail is built from the
finished state at the edge (app/pipeline/audit.py), never passed between stages as a dict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from app.enums import Mag, Mode, Status
from app.records.model import AllergyConflict, Partner, PatientContext, RecordCitation, RecordSnippet
from indexing.schema import Chunk
from indexing.store import SearchIndex

if TYPE_CHECKING:
    from app.pipeline.context import ConversationContext
    from app.pipeline.lexicon import MedicineLexicon

# Hears the stages of one turn as they complete: (event name, JSON-able payload). See Orchestrator.answer.
StageObserver = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Turn:
    """One utterance of the dialogue."""

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
class Distillation:
    queries: list[SearchQuery] = field(default_factory=list)
    unknown_drugs: list[str] = field(default_factory=list)
    backend: str = "rules"
    audit: dict[str, Any] = field(default_factory=dict)
    # A question back to the user ("Which do you mean: losartan or amlodipine?") when the question fits two
    # medicines equally; nothing is searched then, and the read stage answers with it (Status.CLARIFY).
    clarify: str = ""
    # The choices the question back offers, each as the user would reply ("Apixaban", "my mother's Warfarin");
    # empty when it offers none (a statement's "what would you like to know?").
    options: tuple[str, ...] = ()
    # The question's intent: label sections ranked by probability (app.pipeline.intent), best first. The
    # queries carry the first section (and a second one when the question asks two things).
    intent: tuple[tuple[str, float], ...] = ()
    # "Which medicine treats X?" with no medicine named: X, searched across the indications of every medicine
    # (app.pipeline.indication_search); "" otherwise.
    indication_search: str = ""
    # With an indication search: the medicines the user said they take ("I'm on warfarin, what can I take for a
    # headache?"), each listed medicine checked against their labels.
    taking: tuple[str, ...] = ()
    # ... and those they take that the database lacks, by the words they said ("lithium")
    taking_absent: tuple[str, ...] = ()
    # The question this turn answers when the message only replies to the service's question back ("Which
    # medicine do you mean: ...?" -> "Eliquis"): the pending question with the reply; "" otherwise (the message).
    answering: str = ""


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


@dataclass(frozen=True)
class Selection:
    evidence: list[Evidence]
    k: int
    audit: dict[str, Any]


@dataclass
class ReadResult:
    text: str
    citations: list[Citation]
    status: Status
    notice: str = ""
    audit: dict[str, Any] = field(default_factory=dict)
    reader: str = ""  # the reader's kind ("extractive", "llm", ...), set by the read stage


@dataclass
class ReadRequest:
    """What a reader sees: the question in its dialogue, the queries, the selected evidence, the patient."""

    question: str
    dialogue: list[Turn]
    queries: list[SearchQuery]
    evidence: list[Evidence]
    patient: PatientContext | None = None
    images: list[str] = field(default_factory=list)
    # A streaming reader passes the answer's text here as it is generated (SSE); None: not streaming.
    on_token: Callable[[str], None] | None = None
    # The serving index: a reader may quote any sentence of the label of a medicine in focus, not only the
    # selected chunks. None: the selected evidence only.
    index: SearchIndex | None = None
    # The question's intent (Distillation.intent): sections ranked by probability, a prior over sections.
    intent: tuple[tuple[str, float], ...] = ()
    # The user's own medicines checked against the asked one (the medication-partners stage).
    partners: list[Partner] = field(default_factory=list)
    # Medicines the question itself names as already taken ("I take lisinopril, can I take ibuprofen?").
    own: tuple[str, ...] = ()
    # Medicines the question's own words name (the lexicon's: brands, misspellings), whatever the label lists.
    named: tuple[str, ...] = ()


class NoticeKind(StrEnum):
    """Why a notice is shown; the order here is the order notices are shown in (safety first)."""

    EMERGENCY = "emergency"  # an accidental ingestion or too much taken: poison control now (app.pipeline.ingestion)
    ALLERGY = "allergy"
    WITHDRAWN = "withdrawn"  # a quoted medicine was withdrawn from the market
    MEDICATION_PARTNERS = "medication_partners"
    READER = "reader"  # e.g. the asked section is missing from the label
    UNKNOWN_DRUG = "unknown_drug"


@dataclass(frozen=True, slots=True)
class Notice:
    """A sentence shown with the answer (an allergy alert, a missing section, ...)."""

    kind: NoticeKind
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind.value, "text": self.text}


_NOTICE_ORDER = list(NoticeKind)


def notice_text(notices: list[Notice]) -> str:
    ordered = sorted(notices, key=lambda n: _NOTICE_ORDER.index(n.kind))
    return " ".join(n.text for n in ordered if n.text).strip()


@dataclass(frozen=True, slots=True)
class TurnRequest:
    """One question in its conversation, as the service hands it to the pipeline."""

    message: str
    history: list[Turn] = field(default_factory=list)
    mode: Mode = Mode.DRR
    patient_id: str | None = None
    mag: Mag = Mag.ALL
    images: list[str] = field(default_factory=list)

    @property
    def dialogue(self) -> list[Turn]:
        return [*self.history, Turn("user", self.message)]


@dataclass(frozen=True, slots=True)
class Serving:
    """The serving index and the medicine lexicon built from it: loaded and swapped as one unit."""

    index: SearchIndex
    lexicon: MedicineLexicon


@dataclass
class TurnState:
    """Everything one turn has found so far; each stage fills its part."""

    request: TurnRequest
    serving: Serving
    patient: PatientContext | None = None
    # What the user's turns say of medicines (whose, new or taken for long) and of themselves (distill).
    conversation: ConversationContext | None = None
    distilled: Distillation = field(default_factory=Distillation)
    partners: list[Partner] = field(default_factory=list)
    # Recorded medications the database has no label for: the partners check could not cover them.
    unchecked_medications: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    selection: Selection | None = None
    reading: ReadResult | None = None
    allergy_conflicts: list[AllergyConflict] = field(default_factory=list)
    record_citations: list[RecordCitation] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    observer: StageObserver | None = None

    @property
    def index(self) -> SearchIndex:
        return self.serving.index

    @property
    def lexicon(self) -> MedicineLexicon:
        return self.serving.lexicon

    @property
    def dialogue(self) -> list[Turn]:
        return self.request.dialogue

    @property
    def question(self) -> str:
        """The question being answered: the message, or after a reply to a question back the pending question
        with the reply (`Distillation.answering`), so its section and topic (a missed dose) are kept."""
        return self.distilled.answering or self.request.message

    @property
    def queries(self) -> list[SearchQuery]:
        return self.distilled.queries

    @property
    def selected(self) -> list[Evidence]:
        return self.selection.evidence if self.selection is not None else []

    @property
    def records_used(self) -> list[RecordSnippet]:
        return list(self.patient.snippets) if self.patient is not None else []

    @property
    def records_read(self) -> list[str]:
        return self.patient.records_read if self.patient is not None else []

    def emit(self, event: str, payload: dict[str, Any]) -> None:
        if self.observer is not None:
            self.observer(event, payload)


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    queries: list[SearchQuery]
    evidence: list[Evidence]
    k: int
    mode: Mode
    status: Status = Status.ANSWERED
    notices: list[Notice] = field(default_factory=list)
    patient_id: str | None = None
    records_used: list[RecordSnippet] = field(default_factory=list)
    records_read: list[str] = field(default_factory=list)  # ids of every record the turn read (access log)
    record_citations: list[RecordCitation] = field(default_factory=list)
    audit: dict[str, Any] = field(default_factory=dict)
    options: list[str] = field(default_factory=list)  # a question back's choices (Distillation.options)

    @property
    def notice(self) -> str | None:
        """The notices as one text, safety first; None when there are none."""
        return notice_text(self.notices) or None
