from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import ComponentsDep
from app.api.errors import ProblemError
from app.api.schemas import (
    ChatRequest,
    ChatResponse,
    CitationOut,
    ConversationOut,
    QueryOut,
    RecordCitationOut,
)
from app.pipeline.types import Mode

router = APIRouter(prefix="/v1", tags=["chat"])


@router.post("/chat", response_model=ChatResponse)
def chat(body: ChatRequest, c: ComponentsDep) -> ChatResponse:
    if body.patient_id is not None and c.records is not None and not c.records.store.exists(body.patient_id):
        raise ProblemError(
            404, "Not found", f"no patient with id {body.patient_id!r}; create it with POST /v1/patients"
        )
    turn = c.chat.chat(body.message, body.conversation_id, Mode.from_str(body.mode), body.patient_id, body.mag)
    a = turn.answer
    return ChatResponse(
        conversation_id=turn.conversation_id,
        message_id=turn.message_id,
        answer=a.text,
        status=a.status,
        citations=[CitationOut(**ci.to_dict()) for ci in a.citations],
        queries=[QueryOut(**q.to_dict()) for q in a.queries],
        k=a.k,
        mode=a.mode.value,
        notice=a.audit.get("notice"),
        record_citations=[RecordCitationOut(**rc.to_dict()) for rc in a.record_citations],
        audit=a.audit,
    )


@router.get("/conversations/{conversation_id}", response_model=ConversationOut)
def get_conversation(conversation_id: str, c: ComponentsDep) -> ConversationOut:
    return ConversationOut.model_validate(c.chat.conversation(conversation_id))
