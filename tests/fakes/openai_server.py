"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol, for tests.

    from tests.fakes.openai_server import FakeOpenAIServer, reply, tool_call, error

    with FakeOpenAIServer() as server:               # listens on a free port
        server.script(                                # replies to the next requests, in order
            tool_call("search_medicine_database", {"medicine": "warfarin", "attribute": "interactions",
                                                   "keywords": "warfarin ibuprofen"}),
            reply("Ibuprofen raises the bleeding risk of warfarin [1]."),
        )
        ...point a client at server.url (".../v1"), model name anything...
        server.requests[0]["messages"]                # the JSON bodies received, in order
        server.prompt(1)                              # all message text of request 1, joined

Scripted replies:
- `reply(text)`: an assistant message; `tool_call(name, args)` / `tool_calls(...)`: function calls
  (`args` a dict, or a string sent verbatim, e.g. malformed JSON);
- `error(status, message, retry_after=None)`: an OpenAI-style error body (429, 500, ...);
- `slow(seconds, then)`: waits before answering (for timeouts);
- `raw(status, body)`: any body, e.g. not JSON;
- `cut(after, then)` / `stall(after, seconds, then)`: streamed replies that die (connection closed) or go
  silent after `after` data events.
A request with `"stream": true` gets the same reply as server-sent events: the text in several deltas and
each tool call's arguments split into fragments, then `data: [DONE]`.
With the script empty, `server.responder(body)` decides (default: a 500 saying nothing was scripted).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeResponse:
    status: int = 200
    content: str | None = None
    tool_calls: list[tuple[str, str]] = field(default_factory=list)  # (name, arguments text)
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: str | None = None
    finish_reason: str | None = None
    # streaming faults: after this many data events, drop the connection / go silent for stall_s
    cut_after: int | None = None
    stall_after: int | None = None
    stall_s: float = 0.0


def reply(content: str) -> FakeResponse:
    return FakeResponse(content=content)


def tool_calls(*calls: tuple[str, dict[str, Any] | str], content: str | None = None) -> FakeResponse:
    encoded = [(name, args if isinstance(args, str) else json.dumps(args)) for name, args in calls]
    return FakeResponse(content=content, tool_calls=encoded)


def tool_call(name: str, arguments: dict[str, Any] | str) -> FakeResponse:
    return tool_calls((name, arguments))


def error(status: int, message: str = "scripted error", retry_after: float | None = None) -> FakeResponse:
    body = json.dumps({"error": {"message": message, "type": "server_error", "code": status}})
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return FakeResponse(status=status, raw_body=body, headers=headers)


def slow(seconds: float, then: FakeResponse | None = None) -> FakeResponse:
    base = then or reply("late")
    base.delay_s = seconds
    return base


def raw(status: int, body: str) -> FakeResponse:
    return FakeResponse(status=status, raw_body=body)


def cut(after: int, then: FakeResponse | None = None) -> FakeResponse:
    """Streamed: the server dies mid-stream, closing the connection after `after` data events."""
    base = then or reply("This answer is cut off before it ends [1].")
    base.cut_after = after
    return base


def stall(after: int, seconds: float, then: FakeResponse | None = None) -> FakeResponse:
    """Streamed: the server goes silent for `seconds` after `after` data events (a mid-stream timeout)."""
    base = then or reply("This answer stalls halfway through [1].")
    base.stall_after, base.stall_s = after, seconds
    return base


def _completion(model: str, resp: FakeResponse) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": resp.content}
    if resp.tool_calls:
        message["tool_calls"] = [
            {"id": f"call_{i}", "type": "function", "function": {"name": n, "arguments": a}}
            for i, (n, a) in enumerate(resp.tool_calls)
        ]
    finish = resp.finish_reason or ("tool_calls" if resp.tool_calls else "stop")
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def _pieces(text: str, n: int = 3) -> list[str]:
    size = max(1, -(-len(text) // n))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _chunks(model: str, resp: FakeResponse) -> list[dict[str, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    out = [chunk({"role": "assistant", "content": ""})]
    if resp.content:
        out += [chunk({"content": piece}) for piece in _pieces(resp.content)]
    for i, (name, args) in enumerate(resp.tool_calls):
        first = {"index": i, "id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": ""}}
        out.append(chunk({"tool_calls": [first]}))
        out += [chunk({"tool_calls": [{"index": i, "function": {"arguments": p}}]}) for p in _pieces(args)]
    out.append(chunk({}, resp.finish_reason or ("tool_calls" if resp.tool_calls else "stop")))
    return out


def _unscripted(body: dict[str, Any]) -> FakeResponse:
    return error(500, "FakeOpenAIServer: no scripted response left for this request")


class FakeOpenAIServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.responder: Callable[[dict[str, Any]], FakeResponse] = _unscripted
        self._queue: deque[FakeResponse] = deque()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting and inspection -------------------------------------------------------------------

    def script(self, *responses: FakeResponse) -> FakeOpenAIServer:
        with self._lock:
            self._queue.extend(responses)
        return self

    @property
    def pending(self) -> int:
        return len(self._queue)

    def prompt(self, i: int = -1) -> str:
        """All message text of request i (string contents and text parts), joined by newlines."""
        parts = []
        for m in self.requests[i].get("messages", []):
            content = m.get("content")
            if isinstance(content, str):
                parts.append(content)
            elif isinstance(content, list):
                parts += [p.get("text", "") for p in content if p.get("type") == "text"]
        return "\n".join(parts)

    @property
    def url(self) -> str:
        assert self._httpd is not None, "start the server first (use it as a context manager)"
        return f"http://{self.host}:{self._httpd.server_address[1]}/v1"

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send_json(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
                else:
                    self._send_json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw_body = self.rfile.read(length)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send_json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                try:
                    body = json.loads(raw_body)
                except json.JSONDecodeError:
                    self._send_json(400, {"error": {"message": "body is not JSON"}})
                    return
                resp = server._next(body, dict(self.headers))
                if resp.delay_s:
                    time.sleep(resp.delay_s)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    self._answer(body, resp)

            def _answer(self, body: dict[str, Any], resp: FakeResponse) -> None:
                if resp.raw_body is not None or resp.status >= 400:
                    self._send(resp.status, resp.raw_body or "", "application/json", resp.headers)
                    return
                model = str(body.get("model", "fake"))
                if body.get("stream"):
                    self._send_stream(model, resp)
                else:
                    self._send_json(200, _completion(model, resp))

            def _send_json(self, status: int, payload: dict[str, Any]) -> None:
                self._send(status, json.dumps(payload), "application/json", {})

            def _send(self, status: int, text: str, ctype: str, headers: dict[str, str]) -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _send_stream(self, model: str, resp: FakeResponse) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                events = [f"data: {json.dumps(c)}\n\n" for c in _chunks(model, resp)] + ["data: [DONE]\n\n"]
                for i, event in enumerate([": keep-alive\n\n", *events]):
                    if resp.cut_after is not None and i > resp.cut_after:
                        self.wfile.flush()
                        with contextlib.suppress(OSError):
                            self.connection.shutdown(socket.SHUT_RDWR)
                        self.close_connection = True
                        return
                    if resp.stall_after is not None and i == resp.stall_after + 1:
                        time.sleep(resp.stall_s)
                    data = event.encode()
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")

        httpd = ThreadingHTTPServer((self.host, 0), Handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> FakeResponse:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            if self._queue:
                return self._queue.popleft()
        return self.responder(body)
