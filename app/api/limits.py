"""Limits checked before any route runs.

- `BodySizeLimitMiddleware`: a body over the limit is refused with 413 problem+json.
- `InputCheckMiddleware`: 422 problem+json for input no handler should see: NUL in the path or the query,
  a JSON body that is not UTF-8 or nests deeper than `MAX_JSON_DEPTH`, and NUL or a lone surrogate in any
  string or key of it (app/text_input.py: such text cannot be stored, and PostgreSQL refuses NUL). So every
  text and id field is covered, the OpenAI routes' free-form extras included, before anything is stored.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import PROBLEM, problem
from app.text_input import JsonLimitError, check_json, storable, unstorable

# Deeper than any request of this API needs (an OpenAI request's tool schemas included); free-form fields
# have their own, tighter limits (app/records/schema.py).
MAX_JSON_DEPTH = 32
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class BodySizeLimitMiddleware:
    """Pure ASGI middleware. A declared Content-Length over `max_bytes` is refused at once; a chunked body is
    read up to the limit (and then replayed to the app), so a client cannot stream an unbounded body."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = False
            if too_big:
                await self._refuse(scope, send, int(declared))
                return
            await self.app(scope, receive, send)
            return
        # No length declared (chunked): buffer up to the limit, then replay.
        chunks: list[Message] = []
        size = 0
        while True:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(scope, send, size)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send, size: int) -> None:
        body: dict[str, Any] = {
            "type": "about:blank", "title": "Request too large", "status": 413,
            "detail": f"the request body has at least {size} bytes; the limit is {self.max_bytes} "
                      "(CLINQA_MAX_REQUEST_BYTES)",
            "instance": scope.get("path", ""),
        }
        raw = json.dumps(body).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", PROBLEM.encode()), (b"content-length", str(len(raw)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": raw})


def _is_json(content_type: bytes | None) -> bool:
    """FastAPI reads a body as JSON when it says so, or says nothing."""
    if not content_type:
        return True
    kind = content_type.split(b";", 1)[0].strip().lower()
    return kind == b"application/json" or (kind.startswith(b"application/") and kind.endswith(b"+json"))


class InputCheckMiddleware:
    """Pure ASGI middleware (see the module docstring); runs inside the size limit, so the body it reads
    whole is bounded. The body is replayed to the app unchanged."""

    def __init__(self, app: ASGIApp, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = self._url_problem(scope)
        if found is not None:
            await self._refuse(scope, receive, send, *found)
            return
        headers = dict(scope.get("headers") or [])
        if scope.get("method") not in _BODY_METHODS or not _is_json(headers.get(b"content-type")):
            await self.app(scope, receive, send)
            return
        chunks: list[Message] = []
        body = bytearray()
        while True:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        found = self._body_problem(bytes(body))
        if found is not None:
            await self._refuse(scope, receive, send, *found)
            return

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _url_problem(scope: Scope) -> tuple[str, str] | None:
        found = unstorable(str(scope.get("path", "")))
        if found is not None:
            return "path", f"the path {found}"
        query = bytes(scope.get("query_string") or b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True):
            for part in (name, value):
                found = unstorable(part)
                if found is not None:
                    return f"query.{storable(name)}", f"the query parameter {found}"
        return None

    def _body_problem(self, raw: bytes) -> tuple[str, str] | None:
        if not raw:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return "body", f"the request body is not valid UTF-8 (byte {exc.start})"
        try:
            data = json.loads(text)
        except RecursionError:
            return "body", f"the request body nests deeper than {self.max_depth} levels"
        except ValueError:
            return None  # not JSON: FastAPI says so, in its own words
        try:
            check_json(data, self.max_depth)
        except JsonLimitError as exc:
            return exc.where or "body", exc.message
        return None

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, field: str, message: str) -> None:
        detail = f"{field}: {message}"
        response = problem(422, "Invalid request", detail, storable(str(scope.get("path", ""))),
                           errors=[{"field": field, "message": message}])
        await response(scope, receive, send)
