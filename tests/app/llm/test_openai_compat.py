"""The openai_compat client against a real HTTP server speaking the chat-completions protocol."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import pytest

from app.config import LLMSettings
from app.llm.errors import ModelResponseError, ModelTimeoutError, ModelUnavailableError
from app.llm.openai_compat import OpenAICompatModel
from app.llm.types import accumulate, user_message
from tests.fakes.openai_server import FakeOpenAIServer, error, raw, reply, slow, tool_call, tool_calls

TOOLS = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}}}]
HELLO = [{"role": "user", "content": "hello"}]


def _model(server: FakeOpenAIServer, **overrides: object) -> OpenAICompatModel:
    config: dict[str, object] = {"base_url": server.url, "model": "fake-model", "api_key": "sk-test",
                                 "timeout_s": 5.0, "max_retries": 2, "retry_backoff_s": 0.01}
    config.update(overrides)
    return OpenAICompatModel(LLMSettings(backend="openai_compat", **config))  # type: ignore[arg-type]


def test_plain_reply_and_request_shape(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(reply("Hello there."))
    result = _model(fake_openai).chat(HELLO, max_tokens=20, temperature=0.0)
    assert result.content == "Hello there." and result.tool_calls == []
    assert result.finish_reason == "stop" and result.usage["completion_tokens"] == 5 and result.attempts == 1
    body = fake_openai.requests[0]
    assert body["model"] == "fake-model" and body["messages"] == HELLO and body["max_tokens"] == 20
    assert "tools" not in body and "stream" not in body
    assert fake_openai.headers[0]["Authorization"] == "Bearer sk-test"


def test_tool_calls_are_parsed_with_raw_arguments(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(tool_calls(("lookup", {"q": "a"}), ("lookup", '{"q": "b"')))
    result = _model(fake_openai).chat(HELLO, tools=TOOLS, tool_choice="required")
    assert [(c.name, c.arguments) for c in result.tool_calls] == [("lookup", '{"q": "a"}'), ("lookup", '{"q": "b"')]
    assert result.finish_reason == "tool_calls"
    assert fake_openai.requests[0]["tools"] == TOOLS and fake_openai.requests[0]["tool_choice"] == "required"


def test_tool_calls_written_as_text_are_parsed(fake_openai: FakeOpenAIServer) -> None:
    text = 'Sure.\n<tool_call>\n{"name": "lookup", "arguments": {"q": "x"}}\n</tool_call>'
    fake_openai.script(reply(text))
    result = _model(fake_openai).chat(HELLO, tools=TOOLS)
    assert [(c.name, json.loads(c.arguments)) for c in result.tool_calls] == [("lookup", {"q": "x"})]
    assert result.content == "Sure."


def test_streamed_text_and_tool_call_arguments(fake_openai: FakeOpenAIServer) -> None:
    model = _model(fake_openai)
    fake_openai.script(reply("Warfarin interacts with ibuprofen [1]."))
    deltas = list(model.stream(HELLO))
    assert len([d for d in deltas if d.content]) >= 2  # really arrived in pieces
    assert accumulate(deltas).content == "Warfarin interacts with ibuprofen [1]."
    assert fake_openai.requests[0]["stream"] is True

    args = {"medicine": "warfarin", "attribute": "interactions", "keywords": "warfarin ibuprofen bleeding"}
    fake_openai.script(tool_call("search_medicine_database", args))
    deltas = list(model.stream(HELLO, tools=TOOLS))
    fragments = [tc.arguments for d in deltas for tc in d.tool_calls if tc.arguments]
    assert len(fragments) >= 2  # the arguments were streamed in fragments
    result = accumulate(deltas)
    assert result.finish_reason == "tool_calls"
    assert [(c.id, c.name, json.loads(c.arguments)) for c in result.tool_calls] == [
        ("call_0", "search_medicine_database", args)
    ]


def test_async_api(fake_openai: FakeOpenAIServer) -> None:
    model = _model(fake_openai)
    fake_openai.script(reply("one"), reply("two"))

    async def both() -> list[str]:
        first = await model.achat(HELLO)
        streamed = [d async for d in model.astream(HELLO)]
        await model.aclose()
        return [first.content, accumulate(streamed).content]

    assert asyncio.run(both()) == ["one", "two"]
    fake_openai.script(reply("three"))
    assert model.chat(HELLO).content == "three"  # the sync facade still works after asyncio.run


def test_retries_429_and_500_then_succeeds(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(error(429, "slow down", retry_after=0.01), error(500), reply("ok"))
    result = _model(fake_openai).chat(HELLO)
    assert result.content == "ok" and result.attempts == 3 and len(fake_openai.requests) == 3


def test_retries_are_bounded(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(*[error(500, "boom")] * 3)
    with pytest.raises(ModelResponseError, match="boom") as info:
        _model(fake_openai, max_retries=2).chat(HELLO)
    assert info.value.status_code == 500 and len(fake_openai.requests) == 3

    fake_openai.script(error(429, "rate limited"), error(429, "rate limited"))
    with pytest.raises(ModelUnavailableError, match="overloaded"):
        _model(fake_openai, max_retries=1).chat(HELLO)


def test_client_errors_are_not_retried(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(error(400, "bad request: unknown field"))
    with pytest.raises(ModelResponseError, match="unknown field"):
        _model(fake_openai).chat(HELLO)
    assert len(fake_openai.requests) == 1


def test_body_that_is_not_a_completion(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(raw(200, "<html>proxy page</html>"), raw(200, '{"object": "list"}'))
    model = _model(fake_openai)
    with pytest.raises(ModelResponseError, match="not JSON"):
        model.chat(HELLO)
    with pytest.raises(ModelResponseError, match="no choices"):
        model.chat(HELLO)


def test_slow_server_times_out(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(slow(3.0, reply("too late")))
    t0 = time.perf_counter()
    with pytest.raises(ModelTimeoutError, match="did not answer within"):
        _model(fake_openai, timeout_s=0.3, max_retries=0).chat(HELLO)
    assert time.perf_counter() - t0 < 2.5


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_server_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    model = OpenAICompatModel(
        LLMSettings(backend="openai_compat", base_url=url, model="m", max_retries=1, retry_backoff_s=0.01))
    with pytest.raises(ModelUnavailableError, match="cannot reach the model server"):
        model.chat(HELLO)


def test_images_go_as_data_urls(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(reply("A chest X-ray."))
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    _model(fake_openai).chat([user_message("What is this?", [png])])
    parts = fake_openai.requests[0]["messages"][0]["content"]
    assert parts[0] == {"type": "text", "text": "What is this?"}
    assert parts[1]["type"] == "image_url" and parts[1]["image_url"]["url"].startswith("data:image/png;base64,")
