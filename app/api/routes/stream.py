"""Server-sent events for a chat turn: the pipeline's stages as they complete, then the answer's tokens.

`/v1/chat` with `"stream": true` (or `Accept: text/event-stream`) answers with

    event: conversation  data: {"conversation_id": ...}          (the user's message is stored)
    event: queries       data: {"queries": [...], "unknown_drugs": [...]}
    event: evidence      data: {"k": ..., "evidence": [{chunk_id, medicine_id, attribute, title, text, ...}]}
    event: token         data: {"text": "..."}                    (many; the model's stream, or the words)
    event: done          data: <the same JSON as the non-streaming answer>
    event: error         data: <problem+json body>                (instead of done, when answering fails)

The turn runs in a worker thread (`StreamedTurn`) that puts events on a queue; the response iterates the
queue. Problems found before the user's message is stored (validation, unknown conversation) are ordinary
problem+json responses, not streams. A client that goes away does not stop the turn: the answer is stored
and the record-access log written by the chat service, whatever happens to the stream.
"""

from __future__ import annotations

import contextvars
import json
import logging
import queue
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

from fastapi.responses import JSONResponse, StreamingResponse

from app.api.errors import ProblemError, as_problem, problem
from app.api.schemas import ChatResponse, CitationOut, NoticeOut, QueryOut, RecordCitationOut
from app.pipeline.state import StageObserver
from app.services.chat import ChatTurn

log = logging.getLogger(__name__)

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
_WORDS = re.compile(r"\S+\s*|\s+")
_END = object()


def chat_response(turn: ChatTurn) -> ChatResponse:
    """The JSON body of an answered turn (as POST /v1/chat returns it)."""
    a = turn.answer
    return ChatResponse(
        conversation_id=turn.conversation_id,
        message_id=turn.message_id,
        answer=a.text,
        status=a.status,
        citations=[CitationOut(**ci.to_dict()) for ci in a.citations],
        queries=[QueryOut(**q.to_dict()) for q in a.queries],
        k=a.k,
        mode=a.mode,
        notice=a.notice,
        notices=[NoticeOut(**n.to_dict()) for n in a.notices],
        record_citations=[RecordCitationOut(**rc.to_dict()) for rc in a.record_citations],
        audit=a.audit,
        options=a.options,
    )


def words(text: str) -> list[str]:
    """The answer in word-sized tokens (with their trailing whitespace), for readers that do not stream."""
    return _WORDS.findall(text)


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


def sse_data(data: Any) -> str:
    """A data-only event (OpenAI's chunk format)."""
    return f"data: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


def wants_stream(accept: str | None, flag: bool) -> bool:
    return flag or "text/event-stream" in (accept or "")


def problem_body(exc: ProblemError, instance: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {"type": "about:blank", "title": exc.title, "status": exc.status, "detail": exc.detail}
    if instance:
        body["instance"] = instance
    body.update(exc.extra)
    return body


class StreamedTurn:
    """Runs `run(observer, on_stored)` (a ChatService.chat call) in a thread and yields its events:
    ("conversation", {...}), ("queries", {...}), ("evidence", {...}), ("token", {"text"}), ("done", ChatTurn)
    or ("error", ProblemError | Exception)."""

    def __init__(self, run: Callable[[StageObserver, Callable[[str], None]], ChatTurn]) -> None:
        self._events: queue.Queue[Any] = queue.Queue()
        self.streamed_tokens = False
        ctx = contextvars.copy_context()  # the request id (logs) follows the turn into the thread
        self._thread = threading.Thread(target=ctx.run, args=(self._work, run), name="chat-stream", daemon=True)
        self._thread.start()

    def _observe(self, event: str, payload: dict[str, Any]) -> None:
        if event == "token":
            self.streamed_tokens = True
        self._events.put((event, payload))

    def _work(self, run: Callable[[StageObserver, Callable[[str], None]], ChatTurn]) -> None:
        try:
            turn = run(self._observe, lambda conv_id: self._events.put(("conversation", {"conversation_id": conv_id})))
        except Exception as exc:  # reported to the client as an error event / problem (the service logged it)
            self._events.put(("error", exc))
        else:
            self._events.put(("done", turn))
        self._events.put(_END)

    def first(self) -> tuple[str, Any]:
        """The first event: "conversation" once the message is stored, else the "error" that prevented it."""
        item = self._events.get()
        assert item is not _END
        return item  # type: ignore[no-any-return]

    def rest(self) -> Iterator[tuple[str, Any]]:
        while (item := self._events.get()) is not _END:
            yield item


def stream_chat(
    run: Callable[[StageObserver, Callable[[str], None]], ChatTurn], path: str
) -> StreamingResponse | JSONResponse:
    """The SSE response of /v1/chat (see the module docstring)."""
    turn = StreamedTurn(run)
    event, payload = turn.first()
    if event == "error":
        exc = as_problem(payload)
        return problem(exc.status, exc.title, exc.detail, path, **exc.extra)

    def events() -> Iterator[str]:
        yield sse(event, payload)
        for name, data in turn.rest():
            if name == "done":
                if not turn.streamed_tokens:
                    for w in words(data.answer.text):
                        yield sse("token", {"text": w})
                yield sse("done", chat_response(data).model_dump(mode="json"))
            elif name == "error":
                yield sse("error", problem_body(as_problem(data), path))
            else:
                yield sse(name, data)

    return StreamingResponse(events(), media_type="text/event-stream", headers=SSE_HEADERS)
