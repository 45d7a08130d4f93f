"""Conversations and their messages in the database: the statements a chat turn and a conversation read use.

The user's message is committed in its own transaction before the pipeline runs, so a failing pipeline
never loses it; a failure is stored as an assistant message with status "error".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, func, insert, select, update

from app.db import Database
from app.enums import Status
from app.errors import ConflictError, NotFoundError
from app.models import Conversation, Message, new_id, utcnow
from app.pipeline.state import Answer, Turn

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
# The caller's own conversation only; the patient is attached once (a stored one is never replaced).
_ATTACH = (
    update(Conversation)
    .where(Conversation.id == bindparam("conv"), Conversation.owner.is_not_distinct_from(bindparam("caller")))
    .values(updated_at=bindparam("now"),
            patient_id=func.coalesce(Conversation.patient_id, bindparam("patient", type_=String())))
)


def _message_row(conversation_id: str, role: str, content: str, at: datetime, **fields: Any) -> dict[str, Any]:
    """A full `messages` row, the ORM model's defaults filled in (Core inserts skip the ORM)."""
    row: dict[str, Any] = {"conversation_id": conversation_id, "role": role, "content": content, "created_at": at,
                           "status": "ok", "mode": None, "k": None, "queries": [], "citations": [],
                           "evidence": [], "audit": {}}
    row.update(fields)
    return row


class ConversationStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add_user_message(
        self,
        conversation_id: str | None,
        text: str,
        patient_id: str | None,
        owner: str | None,
        may_see: Callable[[str | None], bool],
        earlier: list[Turn] | None = None,
        subject: str | None = None,
    ) -> tuple[str, list[Turn], str | None]:
        """Store the user's message: (conversation id, its earlier turns, its patient).

        A conversation belongs to the caller that started it (`owner`: the key id, or a token's issuer and
        subject; `subject`, the end user of a token, is kept beside it) and keeps the patient it was started
        (or first asked) with. Continuing one attaches the patient and checks the caller against the stored
        patient in the same transaction, after the conversation's row is locked by the write: a caller who
        may not see that patient (`may_see`) gets "not found" however the two requests interleave.
        `earlier`: turns a stateless client sent along (OpenAI-style), stored before the new message when
        the conversation is new."""
        now = utcnow()
        with self.db.transaction() as conn:
            if conversation_id is None:
                conv_id, history = new_id(), list(earlier or [])
                conn.execute(_NEW_CONVERSATION, {"id": conv_id, "created_at": now, "updated_at": now,
                                                 "patient_id": patient_id, "owner": owner, "subject": subject})
                if history:
                    conn.execute(_NEW_MESSAGE, [
                        _message_row(conv_id, t.role, t.content, now, status="given") for t in history
                    ])
            else:
                conv_id = conversation_id
                touched = conn.execute(_ATTACH, {"conv": conv_id, "caller": owner, "now": now, "patient": patient_id})
                stored = conn.execute(_PATIENT_OF, {"conv": conv_id}).one_or_none() if touched.rowcount else None
                if stored is None or not may_see(stored.patient_id):
                    raise NotFoundError(f"no conversation with id {conversation_id!r}")  # rolled back
                if patient_id is not None and stored.patient_id != patient_id:
                    raise ConflictError(f"conversation {conversation_id!r} is about another patient; "
                                        "start a new conversation for this one")
                patient_id = stored.patient_id
                rows = conn.execute(_TURNS_OF, {"conv": conv_id})
                history = [Turn(r.role, r.content) for r in rows if r.status != Status.ERROR]
            conn.execute(_NEW_MESSAGE, _message_row(conv_id, "user", text, now))
        return conv_id, history, patient_id

    def add_answer(self, conversation_id: str, answer: Answer) -> int:
        row = _message_row(
            conversation_id, "assistant", answer.text, utcnow(), status=answer.status.value,
            mode=answer.mode.value, k=answer.k, queries=[q.to_dict() for q in answer.queries],
            citations=[c.to_dict() for c in answer.citations], evidence=[e.to_dict() for e in answer.evidence],
            audit=answer.audit,
        )
        return self._insert_message(row)

    def add_failure(self, conversation_id: str, reason: str) -> None:
        self._insert_message(_message_row(conversation_id, "assistant", "", utcnow(), status=Status.ERROR.value,
                                          audit={"error": reason}))

    def _insert_message(self, row: dict[str, Any]) -> int:
        with self.db.transaction() as conn:
            result = conn.execute(_NEW_MESSAGE, row)
            key = result.inserted_primary_key
            return int(key[0]) if key is not None else 0

    def get(
        self, conversation_id: str, owner: str | None, may_see: Callable[[str | None], bool]
    ) -> tuple[dict[str, Any], list[str]]:
        """The conversation with its turns, and the ids of the patient records its answers used (reading
        it reveals what was quoted from them). Not found unless `owner` started it and may see its patient."""
        with self.db.session() as s:
            conv = s.get(Conversation, conversation_id)
            if conv is None or conv.owner != owner or not may_see(conv.patient_id):
                raise NotFoundError(f"no conversation with id {conversation_id!r}")
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
            records = [str(r.get("record_id")) for m in conv.messages
                       for r in ((m.audit or {}).get("records") or {}).get("used") or []]
            body = {"conversation_id": conv.id, "created_at": conv.created_at, "patient_id": conv.patient_id,
                    "turns": turns}
            return body, list(dict.fromkeys(records))
