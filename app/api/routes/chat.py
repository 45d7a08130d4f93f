from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import ComponentsDep
from app.api.schemas import ChatRequest, ChatResponse, CitationOut, ConversationOut, QueryOut
from app.pipeline.types import Mode

router = APIRouter(prefix="/v1", tags=["chat"])


@router.post("/chat", response_model=ChatResponse)
def chat(body: ChatRequest, c: ComponentsDep) -> ChatResponse:
    turn = c.chat.chat(body.message, body.conversation_id, Mode.from_str(body.mode), body.patient_id)
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
        audit=a.audit,
    )


@router.get("/conversations/{conversation_id}", response_model=ConversationOut)
def get_conversation(conversation_id: str, c: ComponentsDep) -> ConversationOut:
    return ConversationOut.model_validate(c.chat.conversation(conversation_id))
