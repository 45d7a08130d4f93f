"""One chat turn, without HTTP: check the caller, store the user's message, run the pipeline, store the
answer, and log which of the patient's records were read.

The user's message is committed before the pipeline runs, so a failing pipeline never loses it; the
failure is stored too (status "error") and raised as `TurnFailedError`, naming the conversation to retry
in. The record-access log row is written here as soon as the turn completes, so a streaming client that
goes away early cannot leave a read of records unlogged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.enums import Mag, Mode
from app.errors import InvalidInputError, NotFoundError, TooLargeError, TurnFailedError
from app.llm.errors import ModelError
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.state import Answer, StageObserver, Turn, TurnRequest
from app.records.store import RecordStore
from app.services.access_log import AccessLog
from app.services.conversations import ConversationStore
from app.services.keys import Principal
from app.services.turn_metrics import TurnMetrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caller:
    """Who asks: their key's or token's scopes and limits (and a token's subject), and the request ids the
    access log records (the server's own, and the X-Request-ID the client sent, if any)."""

    principal: Principal
    request_id: str | None = None
    client_request_id: str | None = None

    def log_read(self, log: AccessLog, action: str, patient_id: str, record_ids: list[str]) -> None:
        log.record_read(self.principal.key_id, self.request_id, action, patient_id, record_ids,
                        self.client_request_id, subject=self.principal.subject)


@dataclass(frozen=True)
class ChatTurn:
    conversation_id: str
    message_id: int
    answer: Answer


@dataclass(frozen=True)
class ChatQuestion:
    """A question as a client sends it. `earlier`: turns a stateless client sent along (a new
    conversation starts with them)."""

    message: str
    conversation_id: str | None = None
    mode: Mode = Mode.DRR
    patient_id: str | None = None
    mag: Mag | None = None
    earlier: list[Turn] | None = None


class ChatService:
    def __init__(
        self,
        conversations: ConversationStore,
        orchestrator: Orchestrator,
        access_log: AccessLog,
        patients: RecordStore | None,
        metrics: TurnMetrics,
        max_message_chars: int,
        default_mag: Mag = Mag.ALL,
    ) -> None:
        self.conversations = conversations
        self.orchestrator = orchestrator
        self.access_log = access_log
        self.patients = patients
        self.metrics = metrics
        self.max_message_chars = max_message_chars
        self.default_mag = default_mag

    def validate_message(self, message: str) -> str:
        text = message.strip()
        if not text:
            raise InvalidInputError("message must not be empty")
        if len(text) > self.max_message_chars:
            error = TooLargeError if len(text) > 10 * self.max_message_chars else InvalidInputError
            raise error(f"message has {len(text)} characters; the limit is {self.max_message_chars}")
        return text

    def check_patient(self, patient_id: str | None, caller: Caller) -> None:
        """A chat about a patient reads (and quotes) their records: the key must see the patient and hold
        the records:read scope, and the patient must exist. Unknown and forbidden answer alike."""
        if patient_id is None:
            return
        if not caller.principal.may_read_records_of(patient_id) or (
            self.patients is not None and not self.patients.exists(patient_id)
        ):
            raise NotFoundError(f"no patient with id {patient_id!r}")

    def chat(
        self,
        question: ChatQuestion,
        caller: Caller,
        observer: StageObserver | None = None,
        on_stored: Callable[[str], None] | None = None,
    ) -> ChatTurn:
        """One turn. `observer` hears the stages as they complete (streaming); `on_stored` gets the
        conversation id once the user's message is committed."""
        text = self.validate_message(question.message)
        self.check_patient(question.patient_id, caller)
        started = time.perf_counter()
        conv_id, history, patient_id = self.conversations.add_user_message(
            question.conversation_id, text, question.patient_id, caller.principal.owner,
            caller.principal.may_read_records_of, question.earlier, subject=caller.principal.subject,
        )
        stored_ms = (time.perf_counter() - started) * 1000
        if on_stored is not None:
            on_stored(conv_id)
        request = TurnRequest(text, history, question.mode, patient_id, question.mag or self.default_mag)
        try:
            answer = self.orchestrator.answer(request, observer=observer)
        except Exception as exc:
            self.metrics.failed(exc)
            self._store_failure(conv_id, exc)
            raise TurnFailedError(conv_id, exc) from exc
        answer.audit.setdefault("timings_ms", {})["db.store_question"] = round(stored_ms, 3)
        self.metrics.answered(answer)
        message_id = self.conversations.add_answer(conv_id, answer)
        if answer.patient_id is not None:
            caller.log_read(self.access_log, "chat", answer.patient_id, answer.records_read)
        return ChatTurn(conv_id, message_id, answer)

    def _store_failure(self, conv_id: str, exc: Exception) -> None:
        if isinstance(exc, ModelError):
            log.warning("model failed for conversation %s: %s", conv_id, exc)
        else:
            log.error("pipeline failed for conversation %s", conv_id, exc_info=exc)
        self.conversations.add_failure(conv_id, f"{type(exc).__name__}: {exc}")

    def conversation(self, conversation_id: str, caller: Caller) -> dict[str, object]:
        """A stored conversation, for the key that started it. Its answers quote the patient's records (and
        its queries name their medicines), so reading it is logged as a read of those records."""
        body, record_ids = self.conversations.get(
            conversation_id, caller.principal.owner, caller.principal.may_read_records_of
        )
        patient_id = body.get("patient_id")
        if isinstance(patient_id, str):
            caller.log_read(self.access_log, "conversation", patient_id, record_ids)
        return body
