"""OpenAI-compatible chat completions: `POST /v1/chat/completions` and `GET /v1/models`.

The official `openai` client works unchanged (base_url ".../v1"). `model` names the pipeline
configuration: `clinqa-drr` (Distill-Retrieve-Read; `clinqa` is an alias) or `clinqa-rtr`. The client's
messages are the conversation: the last one must be the user's question; earlier user/assistant turns are
the dialogue the question is asked in (system messages are ignored: clinqa's own reader prompt governs).
clinqa's extras go in the body (openai: `extra_body={...}`): `patient_id`, `mag`, and `conversation_id` to
continue a stored conversation instead of sending the history. The answer carries `citations` on the
response and on the message, plus a `clinqa` object (status, queries, k, notice, record citations,
conversation and message ids). Errors use OpenAI's shape: `{"error": {"message", "type", "code", ...}}`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from app.api.auth import ChatPrincipal, caller_of
from app.api.deps import ComponentsDep
from app.api.errors import ProblemError, as_problem
from app.api.routes import stream
from app.enums import Mag, Mode
from app.errors import ClinqaError, NotFoundError
from app.pipeline.state import Turn
from app.services.chat import Caller, ChatQuestion, ChatService, ChatTurn

router = APIRouter(prefix="/v1", tags=["openai"])

MODELS: dict[str, Mode] = {"clinqa-drr": Mode.DRR, "clinqa-rtr": Mode.RTR}
ALIASES = {"clinqa": "clinqa-drr"}
MODEL_DESCRIPTIONS = {
    "clinqa-drr": "Distill-Retrieve-Read: the dialogue distilled into queries per medicine and label section",
    "clinqa-rtr": "Retrieve-then-Read on the raw last user turn (for comparison)",
}
_CREATED = 1_700_000_000
_ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                404: "not_found_error", 409: "invalid_request_error", 413: "invalid_request_error",
                422: "invalid_request_error", 429: "rate_limit_error"}


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens, stream_options, ...: accepted, unused

    model: str = Field(..., max_length=128, description="clinqa-drr | clinqa-rtr (see GET /v1/models)")
    messages: list[ChatMessageIn] = Field(..., min_length=1, max_length=500)
    stream: bool | None = False
    patient_id: str | None = Field(None, max_length=128, description="answer with this patient's records")
    mag: Mag | None = None
    conversation_id: str | None = Field(None, max_length=64, description="continue a stored conversation")


class CitationItem(BaseModel):
    n: int
    medicine_id: str
    attribute: str
    chunk_id: str
    quote: str


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    citations: list[CitationItem] = []


class Choice(BaseModel):
    index: int
    message: AssistantMessage
    finish_reason: str
    logprobs: None = None


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    citations: list[CitationItem]
    conversation_id: str
    clinqa: dict[str, Any]


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str
    description: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class ErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | int | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def openai_error(status: int, message: str, code: str | None = None, param: str | None = None,
                 **extra: Any) -> JSONResponse:
    kind = _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    body = {"error": {"message": message, "type": kind, "param": param, "code": code or str(status), **extra}}
    return JSONResponse(body, status_code=status)


def error_payload(error: Exception) -> dict[str, Any]:
    """OpenAI's error body for any error (the problem app/api/errors.py gives it, in OpenAI's shape)."""
    exc = as_problem(error)
    kind = _ERROR_TYPES.get(exc.status, "server_error" if exc.status >= 500 else "invalid_request_error")
    return {"error": {"message": exc.detail, "type": kind, "param": None, "code": str(exc.status),
                      "title": exc.title, **exc.extra}}


def error_response(error: Exception) -> JSONResponse:
    return JSONResponse(error_payload(error), status_code=as_problem(error).status)


def resolve_model(name: str) -> tuple[str, Mode]:
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in MODELS:
        raise NotFoundError(f"the model {name!r} does not exist; choose one of {', '.join(MODELS)} (GET /v1/models)")
    return key, MODELS[key]


def split_messages(messages: list[ChatMessageIn]) -> tuple[list[Turn], str]:
    """(earlier user/assistant turns, the question). The last message must be the user's."""
    last = messages[-1]
    if last.role != "user":
        raise ProblemError(400, "Invalid request", "the last message must have role 'user' (the question)")
    earlier = [Turn(m.role, m.text()) for m in messages[:-1] if m.role in ("user", "assistant") and m.text().strip()]
    return earlier, last.text()


def _count(text: str) -> int:
    return len(text.split())


def _clinqa_extra(turn: ChatTurn) -> dict[str, Any]:
    a = turn.answer
    return {
        "status": a.status,
        "conversation_id": turn.conversation_id,
        "message_id": turn.message_id,
        "mode": a.mode.value,
        "k": a.k,
        "queries": [q.to_dict() for q in a.queries],
        "notice": a.notice,
        "notices": [n.to_dict() for n in a.notices],
        "record_citations": [rc.to_dict() for rc in a.record_citations],
        "options": list(a.options),
    }


def completion(turn: ChatTurn, model: str, prompt_words: int) -> ChatCompletion:
    a = turn.answer
    cites = [CitationItem(**c.to_dict()) for c in a.citations]
    completion_words = _count(a.text)
    return ChatCompletion(
        id=f"chatcmpl-{uuid.uuid4().hex}",
        created=int(time.time()),
        model=model,
        choices=[Choice(index=0, message=AssistantMessage(content=a.text, citations=cites), finish_reason="stop")],
        usage=Usage(prompt_tokens=prompt_words, completion_tokens=completion_words,
                    total_tokens=prompt_words + completion_words),
        citations=cites,
        conversation_id=turn.conversation_id,
        clinqa=_clinqa_extra(turn),
    )


@router.get("/models", response_model=ModelList)
def list_models(principal: ChatPrincipal) -> ModelList:
    return ModelList(data=[ModelCard(id=m, created=_CREATED, owned_by="clinqa", description=MODEL_DESCRIPTIONS[m])
                           for m in MODELS])


@router.get("/models/{model_id}", response_model=ModelCard, responses={404: {"model": ErrorBody}})
def get_model(model_id: str, principal: ChatPrincipal) -> ModelCard | JSONResponse:
    try:
        key, _ = resolve_model(model_id)
    except NotFoundError as exc:
        return openai_error(404, exc.detail, "model_not_found", "model")
    return ModelCard(id=key, created=_CREATED, owned_by="clinqa", description=MODEL_DESCRIPTIONS[key])


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}},
              "description": "a chat.completion, or with stream=true chat.completion.chunk events"},
        400: {"model": ErrorBody}, 404: {"model": ErrorBody}, 409: {"model": ErrorBody},
        502: {"model": ErrorBody}, 503: {"model": ErrorBody}, 504: {"model": ErrorBody},
    },
)
def chat_completions(
    body: ChatCompletionRequest, c: ComponentsDep, principal: ChatPrincipal, request: Request
) -> ChatCompletion | StreamingResponse | JSONResponse:
    try:
        model, mode = resolve_model(body.model)
    except NotFoundError as exc:
        return openai_error(404, exc.detail, "model_not_found", "model")
    caller = caller_of(principal, request)
    try:
        earlier, text = split_messages(body.messages)
        # A stored conversation has its own history; otherwise the client's messages are the history.
        given = None if body.conversation_id is not None else earlier
        question = ChatQuestion(text, body.conversation_id, mode, body.patient_id, body.mag, given)
    except (ProblemError, ClinqaError) as exc:
        return error_response(exc)
    prompt_words = sum(_count(t.content) for t in earlier) + _count(text)
    if body.stream:
        return _stream(c.chat, question, caller, model)
    try:
        turn = c.chat.chat(question, caller)
    except (ProblemError, ClinqaError) as exc:
        return error_response(exc)
    return completion(turn, model, prompt_words)


def _chunk(cid: str, model: str, created: int, delta: dict[str, Any], finish: str | None = None,
           **extra: Any) -> str:
    data = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
    return stream.sse_data(data)


def _stream(chat: ChatService, question: ChatQuestion, caller: Caller, model: str) -> StreamingResponse | JSONResponse:
    turn = stream.StreamedTurn(
        lambda observer, stored: chat.chat(question, caller, observer=observer, on_stored=stored)
    )
    event, payload = turn.first()
    if event == "error":
        return error_response(payload)
    cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

    def events() -> Iterator[str]:
        yield _chunk(cid, model, created, {"role": "assistant", "content": ""},
                     conversation_id=payload["conversation_id"])
        for name, data in turn.rest():
            if name == "token":
                yield _chunk(cid, model, created, {"content": data["text"]})
            elif name == "done":
                if not turn.streamed_tokens:
                    for w in stream.words(data.answer.text):
                        yield _chunk(cid, model, created, {"content": w})
                cites = [ci.to_dict() for ci in data.answer.citations]
                yield _chunk(cid, model, created, {}, "stop", citations=cites, conversation_id=data.conversation_id,
                             clinqa=_clinqa_extra(data))
            elif name == "error":
                yield stream.sse_data(error_payload(data))
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream", headers=stream.SSE_HEADERS)
