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
    """Who asks: their key's limits, and the request id the access log records."""

    principal: Principal
    request_id: str | None = None


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

    def check(self, question: ChatQuestion, caller: Caller) -> None:
        """Before anything is stored: the caller may see the patient and the conversation, and the patient
        exists (an unknown and a forbidden patient answer alike)."""
        caller.principal.check_patient(question.patient_id)
        if question.conversation_id is not None:
            caller.principal.check_conversation(self.conversations.patient_of, question.conversation_id)
        if question.patient_id is not None and self.patients is not None and not self.patients.exists(
            question.patient_id
        ):
            raise NotFoundError(f"no patient with id {question.patient_id!r}; create it with POST /v1/patients")

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
        self.check(question, caller)
        started = time.perf_counter()
        conv_id, history, patient_id = self.conversations.add_user_message(
            question.conversation_id, text, question.patient_id, question.earlier
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
            self.access_log.record_read(caller.principal.key_id, caller.request_id, "chat", answer.patient_id,
                                        [r.record_id for r in answer.records_used])
        return ChatTurn(conv_id, message_id, answer)

    def _store_failure(self, conv_id: str, exc: Exception) -> None:
        if isinstance(exc, ModelError):
            log.warning("model failed for conversation %s: %s", conv_id, exc)
        else:
            log.error("pipeline failed for conversation %s", conv_id, exc_info=exc)
        self.conversations.add_failure(conv_id, f"{type(exc).__name__}: {exc}")

    def conversation(self, conversation_id: str, caller: Caller) -> dict[str, object]:
        caller.principal.check_conversation(self.conversations.patient_of, conversation_id)
        return self.conversations.get(conversation_id)
