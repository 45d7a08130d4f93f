from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from app.api.auth import ChatPrincipal, audit_record_read, request_id
from app.api.deps import ComponentsDep
from app.api.errors import ProblemError
from app.api.routes import stream
from app.api.schemas import (
    ChatRequest,
    ChatResponse,
    ConversationOut,
)
from app.chat_service import ChatTurn
from app.pipeline.types import Mode

router = APIRouter(prefix="/v1", tags=["chat"])


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}},
                     "description": "the answer (JSON), or with stream=true server-sent events"}},
)
def chat(
    body: ChatRequest, c: ComponentsDep, principal: ChatPrincipal, request: Request
) -> ChatResponse | StreamingResponse | JSONResponse:
    principal.check_patient(body.patient_id)
    if body.conversation_id is not None:
        principal.check_conversation(c.chat.conversation_patient, body.conversation_id)
    if body.patient_id is not None and c.records is not None and not c.records.store.exists(body.patient_id):
        raise ProblemError(
            404, "Not found", f"no patient with id {body.patient_id!r}; create it with POST /v1/patients"
        )
    def audit_records(turn: ChatTurn) -> None:
        used = turn.answer.audit.get("records") or {}
        if used.get("patient_id"):
            audit_record_read(c.db, principal, request_id(request), "chat", str(used["patient_id"]),
                              [str(r.get("record_id")) for r in used.get("used") or []])

    mode = Mode.from_str(body.mode)
    if stream.wants_stream(request.headers.get("accept"), body.stream):
        return stream.stream_chat(
            lambda observer, stored: c.chat.chat(body.message, body.conversation_id, mode, body.patient_id,
                                                 body.mag, observer=observer, on_stored=stored),
            request.url.path, on_done=audit_records,
        )
    turn = c.chat.chat(body.message, body.conversation_id, mode, body.patient_id, body.mag)
    audit_records(turn)
    return stream.chat_response(turn)


@router.get("/conversations/{conversation_id}", response_model=ConversationOut)
def get_conversation(conversation_id: str, c: ComponentsDep, principal: ChatPrincipal) -> ConversationOut:
    principal.check_conversation(c.chat.conversation_patient, conversation_id)
    return ConversationOut.model_validate(c.chat.conversation(conversation_id))
