from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from app.api.auth import ChatPrincipal, caller_of
from app.api.deps import ComponentsDep
from app.api.routes import stream
from app.api.schemas import ChatRequest, ChatResponse, ConversationOut
from app.services.chat import ChatQuestion

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
    question = ChatQuestion(body.message, body.conversation_id, body.mode, body.patient_id, body.mag)
    caller = caller_of(principal, request)
    if stream.wants_stream(request.headers.get("accept"), body.stream):
        return stream.stream_chat(
            lambda observer, stored: c.chat.chat(question, caller, observer=observer, on_stored=stored),
            request.url.path,
        )
    return stream.chat_response(c.chat.chat(question, caller))


@router.get("/conversations/{conversation_id}", response_model=ConversationOut)
def get_conversation(
    conversation_id: str, c: ComponentsDep, principal: ChatPrincipal, request: Request
) -> ConversationOut:
    caller = caller_of(principal, request)
    return ConversationOut.model_validate(c.chat.conversation(conversation_id, caller))
