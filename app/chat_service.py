"""One chat turn: store the user's message, run the pipeline, store the answer with its audit trail.

The user's message is committed before the pipeline runs, so a failing pipeline never loses it; the
failure is recorded as an assistant message with status "error" and the conversation can go on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import bindparam, insert, select, update

from app.api.errors import ProblemError
from app.db import Database
from app.index_service import IndexNotReadyError
from app.llm.errors import ModelError, ModelResponseError, ModelTimeoutError, ModelUnavailableError
from app.models import Conversation, Message, new_id, utcnow
from app.pipeline.orchestrator import Orchestrator, StageObserver
from app.pipeline.types import Answer, Mode, Turn

log = logging.getLogger(__name__)

# A model that failed is the upstream's fault: 502 bad reply, 503 unreachable/overloaded, 504 too slow.
_MODEL_ERRORS: dict[type[ModelError], tuple[int, str]] = {
    ModelTimeoutError: (504, "Model timed out"),
    ModelUnavailableError: (503, "Model unavailable"),
    ModelResponseError: (502, "Model error"),
}


def model_problem(exc: ModelError, conversation_id: str) -> ProblemError:
    status, title = next((v for t, v in _MODEL_ERRORS.items() if isinstance(exc, t)), (502, "Model error"))
    return ProblemError(
        status, title, f"{exc} Your message was saved; please retry.", conversation_id=conversation_id
    )


@dataclass
class ChatTurn:
    conversation_id: str
    message_id: int
    answer: Answer


# Built once: a statement object caches its compiled form, where one built per call is constructed and
# keyed anew each time (~30% of a chat turn's database time, pyinstrument).
_NEW_CONVERSATION = insert(Conversation)
_NEW_MESSAGE = insert(Message)
_PATIENT_OF = select(Conversation.patient_id).where(Conversation.id == bindparam("conv"))
_TURNS_OF = (
    select(Message.role, Message.content, Message.status)
    .where(Message.conversation_id == bindparam("conv"))
    .order_by(Message.id)
)
_TOUCH = (
    update(Conversation)
    .where(Conversation.id == bindparam("conv"))
    .values(updated_at=bindparam("now"), patient_id=bindparam("patient"))
)


def _message_row(conversation_id: str, role: str, content: str, at: datetime, **fields: Any) -> dict[str, Any]:
    """A full `messages` row, the ORM model's defaults filled in (Core inserts skip the ORM)."""
    row: dict[str, Any] = {"conversation_id": conversation_id, "role": role, "content": content, "created_at": at,
                           "status": "ok", "mode": None, "k": None, "queries": [], "citations": [],
                           "evidence": [], "audit": {}}
    row.update(fields)
    return row


class ChatService:
    def __init__(
        self, db: Database, orchestrator: Orchestrator, max_message_chars: int, default_mag: str = "all"
    ) -> None:
        self.db = db
        self.orchestrator = orchestrator
        self.max_message_chars = max_message_chars
        self.default_mag = default_mag
        # Called with every answer / every failure (e.g. Prometheus metrics, app/api/metrics.py).
        self.answer_hooks: list[Callable[[Answer], None]] = []
        self.failure_hooks: list[Callable[[Exception], None]] = []

    def validate_message(self, message: str) -> str:
        text = message.strip()
        if not text:
            raise ProblemError(422, "Invalid request", "message must not be empty")
        if len(text) > self.max_message_chars:
            raise ProblemError(
                413 if len(text) > 10 * self.max_message_chars else 422,
                "Message too long",
                f"message has {len(text)} characters; the limit is {self.max_message_chars}",
            )
        return text

    def store_user_message(
        self, conversation_id: str | None, text: str, patient_id: str | None,
        earlier: list[Turn] | None = None,
    ) -> tuple[str, list[Turn], str | None]:
        """Conversation id, its earlier turns and its patient. `earlier`: turns a client sent along
        (OpenAI-style, stateless); stored before the new message when the conversation is new."""
        now = utcnow()
        with self.db.transaction() as conn:
            if conversation_id is None:
                conv_id, history = new_id(), list(earlier or [])
                conn.execute(_NEW_CONVERSATION, {"id": conv_id, "created_at": now, "updated_at": now,
                                                 "patient_id": patient_id})
                if history:
                    conn.execute(_NEW_MESSAGE, [
                        _message_row(conv_id, t.role, t.content, now, status="given") for t in history
                    ])
            else:
                conv_id = conversation_id
                stored = conn.execute(_PATIENT_OF, {"conv": conv_id}).one_or_none()
                if stored is None:
                    raise ProblemError(404, "Not found", f"no conversation with id {conversation_id!r}")
                if patient_id is not None and stored.patient_id not in (None, patient_id):
                    raise ProblemError(
                        409, "Conflict", f"conversation {conversation_id!r} is about patient "
                        f"{stored.patient_id!r}; start a new conversation for another patient",
                    )
                patient_id = stored.patient_id or patient_id
                rows = conn.execute(_TURNS_OF, {"conv": conv_id})
                history = [Turn(r.role, r.content) for r in rows if r.status != "error"]
                conn.execute(_TOUCH, {"conv": conv_id, "now": now, "patient": patient_id})
            conn.execute(_NEW_MESSAGE, _message_row(conv_id, "user", text, now))
        return conv_id, history, patient_id

    def store_answer(self, conversation_id: str, answer: Answer) -> int:
        row = _message_row(
            conversation_id, "assistant", answer.text, utcnow(), status=answer.status, mode=answer.mode.value,
            k=answer.k, queries=[q.to_dict() for q in answer.queries],
            citations=[c.to_dict() for c in answer.citations], evidence=[e.to_dict() for e in answer.evidence],
            audit=answer.audit,
        )
        return self._insert_message(row)

    def store_failure(self, conversation_id: str, reason: str) -> None:
        self._insert_message(_message_row(conversation_id, "assistant", "", utcnow(), status="error",
                                          audit={"error": reason}))

    def _insert_message(self, row: dict[str, Any]) -> int:
        with self.db.transaction() as conn:
            result = conn.execute(_NEW_MESSAGE, row)
            key = result.inserted_primary_key
            return int(key[0]) if key is not None else 0

    def conversation_patient(self, conversation_id: str) -> str | None:
        with self.db.session() as s:
            conv = s.get(Conversation, conversation_id)
            return conv.patient_id if conv is not None else None

    def chat(
        self,
        message: str,
        conversation_id: str | None,
        mode: Mode,
        patient_id: str | None = None,
        mag: str | None = None,
        observer: StageObserver | None = None,
        earlier: list[Turn] | None = None,
        on_stored: Callable[[str], None] | None = None,
    ) -> ChatTurn:
        """One turn; a conversation keeps the patient it was started (or first asked) with. `observer`
        hears the stages as they complete (streaming); `earlier` are prior turns a stateless client sent
        (a new conversation starts with them); `on_stored` gets the conversation id once the user's
        message is committed."""
        text = self.validate_message(message)
        started = time.perf_counter()
        conv_id, history, patient_id = self.store_user_message(conversation_id, text, patient_id, earlier)
        stored_ms = (time.perf_counter() - started) * 1000
        if on_stored is not None:
            on_stored(conv_id)
        try:
            answer = self.orchestrator.answer(
                history, text, mode, patient_id, mag or self.default_mag, observer=observer
            )
        except Exception as exc:
            for hook in self.failure_hooks:
                hook(exc)
            self._raise_failure(conv_id, exc)
        answer.audit.setdefault("timings_ms", {})["db.store_question"] = round(stored_ms, 3)
        for answered in self.answer_hooks:
            answered(answer)
        message_id = self.store_answer(conv_id, answer)
        return ChatTurn(conv_id, message_id, answer)

    def _raise_failure(self, conv_id: str, exc: Exception) -> NoReturn:
        """Record the failed turn and raise the problem the client gets."""
        if isinstance(exc, ProblemError):
            self.store_failure(conv_id, exc.detail)
            raise exc
        if isinstance(exc, IndexNotReadyError):
            self.store_failure(conv_id, str(exc))
            raise ProblemError(503, "Index not ready", str(exc), conversation_id=conv_id) from exc
        if isinstance(exc, ModelError):
            log.warning("model failed for conversation %s: %s", conv_id, exc)
            self.store_failure(conv_id, f"{type(exc).__name__}: {exc}")
            raise model_problem(exc, conv_id) from exc
        log.error("pipeline failed for conversation %s", conv_id, exc_info=exc)
        self.store_failure(conv_id, f"{type(exc).__name__}: {exc}")
        raise ProblemError(
            500, "Pipeline error", "answering failed; your message was saved, please retry",
            conversation_id=conv_id,
        ) from exc

    def conversation(self, conversation_id: str) -> dict[str, Any]:
        with self.db.session() as s:
            conv = s.get(Conversation, conversation_id)
            if conv is None:
                raise ProblemError(404, "Not found", f"no conversation with id {conversation_id!r}")
            turns = [
                {
                    "id": m.id,
                    "role": m.role,
                    "content": m.content,
                    "created_at": m.created_at,
                    "status": m.status,
                    "mode": m.mode,
                    "k": m.k,
                    "queries": m.queries or [],
                    "citations": m.citations or [],
                    "evidence": m.evidence or [],
                }
                for m in conv.messages
            ]
            return {
                "conversation_id": conv.id,
                "created_at": conv.created_at,
                "patient_id": conv.patient_id,
                "turns": turns,
            }
