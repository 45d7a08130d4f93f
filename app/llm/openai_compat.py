"""A client for any OpenAI-compatible chat-completions server (vLLM, llama.cpp server, hosted APIs).

Async over httpx, with a synchronous facade for the pipeline. Requests that fail with 429, a 5xx or a
dropped connection are retried a bounded number of times with exponential backoff (honouring
Retry-After); what still fails is raised as a ModelError subclass that says what happened.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from app.config import LLMSettings
from app.llm.errors import ModelError, ModelResponseError, ModelTimeoutError, ModelUnavailableError
from app.llm.loop import LoopThread
from app.llm.tool_text import TOOL_CALL_OPEN, parse_tool_calls
from app.llm.types import ChatDelta, ChatResult, Message, Tool, ToolCall, ToolCallDelta, ToolChoice

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def _error_detail(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return resp.text[:300]
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return str(body["error"].get("message", body["error"]))[:300]
    return json.dumps(body)[:300]


def _arguments(raw: Any) -> str:
    if raw is None:
        return ""
    return raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)


def parse_completion(data: Any, with_tools: bool) -> ChatResult:
    """A non-streamed chat.completion body as a ChatResult (tool calls written as text are parsed too)."""
    try:
        choice = data["choices"][0]
        message = choice.get("message") or {}
    except (KeyError, IndexError, TypeError):
        raise ModelResponseError(f"the model server's reply has no choices: {json.dumps(data)[:300]}") from None
    content = message.get("content") or ""
    calls = []
    for i, tc in enumerate(message.get("tool_calls") or []):
        fn = tc.get("function") or {}
        calls.append(ToolCall(tc.get("id") or f"call_{i}", str(fn.get("name", "")), _arguments(fn.get("arguments"))))
    if with_tools and not calls and TOOL_CALL_OPEN in content:
        # A server started without a tool-call parser returns the calls as text.
        content, calls = parse_tool_calls(content)
    usage = {k: int(v) for k, v in (data.get("usage") or {}).items() if isinstance(v, int)}
    return ChatResult(content, calls, choice.get("finish_reason"), str(data.get("model", "")), usage)


def parse_chunk(data: Any) -> ChatDelta | None:
    """One SSE `chat.completion.chunk` as a delta; None for chunks without a choice (usage-only)."""
    if isinstance(data, dict) and "error" in data:
        raise ModelResponseError(f"the model server reported an error mid-stream: {json.dumps(data['error'])[:300]}")
    choices = data.get("choices") if isinstance(data, dict) else None
    if not choices:
        return None
    choice = choices[0]
    delta = choice.get("delta") or {}
    tool_deltas = []
    for j, tc in enumerate(delta.get("tool_calls") or []):
        fn = tc.get("function") or {}
        tool_deltas.append(
            ToolCallDelta(int(tc.get("index", j)), tc.get("id"), fn.get("name"), _arguments(fn.get("arguments")))
        )
    return ChatDelta(delta.get("content") or "", tuple(tool_deltas), choice.get("finish_reason"))


class OpenAICompatModel:
    """ChatModel over HTTP. `achat`/`astream` are the async API; `chat`/`stream` block the caller."""

    backend = "openai_compat"
    supports_images = True  # the server decides; a text-only model answers images with a 400

    def __init__(self, config: LLMSettings) -> None:
        self.config = config
        self.model = config.model
        self.url = config.base_url.rstrip("/") + "/chat/completions"
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None
        self._loop: LoopThread | None = None
        self._loop_lock = threading.Lock()

    def to_dict(self) -> dict[str, Any]:
        c = self.config
        return {"backend": self.backend, "base_url": c.base_url, "model": c.model, "timeout_s": c.timeout_s,
                "max_retries": c.max_retries}

    # -- async API -----------------------------------------------------------------------------------

    def _client_for_loop(self) -> httpx.AsyncClient:
        # An httpx client belongs to the event loop it was first used on: a caller on another loop
        # (asyncio.run in a script, then the sync facade) gets a client of its own.
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
            timeout = httpx.Timeout(self.config.timeout_s, connect=min(10.0, self.config.timeout_s))
            self._client = httpx.AsyncClient(headers=headers, timeout=timeout)
            self._client_loop = loop
        return self._client

    def _body(
        self,
        messages: list[Message],
        tools: list[Tool] | None,
        tool_choice: ToolChoice | None,
        max_tokens: int | None,
        temperature: float | None,
        stream: bool,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "max_tokens": max_tokens or self.config.max_tokens,
            "temperature": self.config.temperature if temperature is None else temperature,
        }
        if tools:
            body["tools"] = tools
            if tool_choice is not None:
                body["tool_choice"] = tool_choice
        if stream:
            body["stream"] = True
        return body

    def _backoff(self, attempt: int, resp: httpx.Response | None) -> float:
        if resp is not None and (after := resp.headers.get("retry-after")):
            try:
                return min(float(after), self.config.max_backoff_s)
            except ValueError:
                pass
        base = self.config.retry_backoff_s * (2**attempt)
        return float(min(base * (1 + random.random() / 4), self.config.max_backoff_s))

    def _final_error(self, resp: httpx.Response, attempts: int) -> ModelError:
        detail = _error_detail(resp)
        where = f"{self.url} (HTTP {resp.status_code}, {attempts} attempt{'s' * (attempts > 1)})"
        if resp.status_code in (429, 503):
            return ModelUnavailableError(f"the model server is overloaded or unavailable: {where}: {detail}")
        if resp.status_code == 504:
            return ModelTimeoutError(f"the model server timed out upstream: {where}: {detail}")
        return ModelResponseError(f"the model server answered with an error: {where}: {detail}", resp.status_code)

    async def _send(self, body: dict[str, Any], stream: bool) -> tuple[httpx.Response, int]:
        """The first successful response (status < 400), retrying what is worth retrying."""
        client = self._client_for_loop()
        attempts = self.config.max_retries + 1
        for attempt in range(attempts):
            resp: httpx.Response | None = None
            try:
                request = client.build_request("POST", self.url, json=body)
                resp = await client.send(request, stream=stream)
            except httpx.TimeoutException as exc:
                if isinstance(exc, httpx.ConnectTimeout) and attempt + 1 < attempts:
                    await asyncio.sleep(self._backoff(attempt, None))
                    continue
                raise ModelTimeoutError(
                    f"the model server at {self.url} did not answer within {self.config.timeout_s:g} s"
                ) from exc
            except httpx.TransportError as exc:
                if attempt + 1 < attempts:
                    log.warning("model server %s unreachable (%s); retrying", self.url, exc)
                    await asyncio.sleep(self._backoff(attempt, None))
                    continue
                raise ModelUnavailableError(
                    f"cannot reach the model server at {self.url} after {attempts} attempts: {exc!r}"
                ) from exc
            if resp.status_code < 400:
                return resp, attempt + 1
            if stream:
                await resp.aread()
            if resp.status_code in RETRY_STATUSES and attempt + 1 < attempts:
                log.warning("model server %s answered %s; retrying", self.url, resp.status_code)
                await resp.aclose()
                await asyncio.sleep(self._backoff(attempt, resp))
                continue
            await resp.aclose()
            raise self._final_error(resp, attempt + 1)
        raise AssertionError("unreachable")

    async def achat(
        self,
        messages: list[Message],
        *,
        tools: list[Tool] | None = None,
        tool_choice: ToolChoice | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> ChatResult:
        body = self._body(messages, tools, tool_choice, max_tokens, temperature, stream=False)
        t0 = time.perf_counter()
        try:
            async with asyncio.timeout(self.config.timeout_s * (self.config.max_retries + 1) + 1):
                resp, attempts = await self._send(body, stream=False)
                try:
                    data = resp.json()
                except ValueError:
                    raise ModelResponseError(
                        f"the model server at {self.url} answered with a body that is not JSON: {resp.text[:200]!r}"
                    ) from None
        except TimeoutError as exc:
            raise ModelTimeoutError(f"the model server at {self.url} did not answer in time") from exc
        result = parse_completion(data, bool(tools))
        result.model = result.model or self.model
        result.latency_ms = (time.perf_counter() - t0) * 1000
        result.attempts = attempts
        return result

    async def astream(
        self,
        messages: list[Message],
        *,
        tools: list[Tool] | None = None,
        tool_choice: ToolChoice | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> AsyncIterator[ChatDelta]:
        body = self._body(messages, tools, tool_choice, max_tokens, temperature, stream=True)
        resp, _ = await self._send(body, stream=True)
        try:
            async for line in resp.aiter_lines():
                if not line.startswith("data:"):
                    continue  # comments, event names, blank separators
                payload = line[5:].strip()
                if payload == "[DONE]":
                    break
                try:
                    data = json.loads(payload)
                except json.JSONDecodeError:
                    raise ModelResponseError(
                        f"the model server sent a malformed stream event: {payload[:200]!r}"
                    ) from None
                delta = parse_chunk(data)
                if delta is not None:
                    yield delta
        except httpx.TimeoutException as exc:
            raise ModelTimeoutError(
                f"the model server at {self.url} sent nothing for {self.config.timeout_s:g} s"
            ) from exc
        except httpx.TransportError as exc:
            raise ModelUnavailableError(f"the stream from {self.url} broke off: {exc!r}") from exc
        finally:
            await resp.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- sync facade ---------------------------------------------------------------------------------

    def _thread(self) -> LoopThread:
        with self._loop_lock:
            if self._loop is None:
                self._loop = LoopThread()
            return self._loop

    def chat(
        self,
        messages: list[Message],
        *,
        tools: list[Tool] | None = None,
        tool_choice: ToolChoice | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> ChatResult:
        return self._thread().run(
            lambda: self.achat(
                messages, tools=tools, tool_choice=tool_choice, max_tokens=max_tokens, temperature=temperature
            )
        )

    def stream(
        self,
        messages: list[Message],
        *,
        tools: list[Tool] | None = None,
        tool_choice: ToolChoice | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Iterator[ChatDelta]:
        return self._thread().iterate(
            lambda: self.astream(
                messages, tools=tools, tool_choice=tool_choice, max_tokens=max_tokens, temperature=temperature
            )
        )

    def close(self) -> None:
        if self._loop is not None:
            self._loop.run(self.aclose)
            self._loop.close()
            self._loop = None
