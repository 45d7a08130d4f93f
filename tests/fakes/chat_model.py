"""An in-process ChatModel that returns scripted replies and records what it was asked."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from typing import Any

from app.llm.types import ChatDelta, ChatResult, Message, Tool, ToolCall, ToolChoice, message_text


def calls_reply(*calls: tuple[str, dict[str, Any] | str], content: str = "") -> ChatResult:
    return ChatResult(
        content,
        [ToolCall(f"call_{i}", n, a if isinstance(a, str) else json.dumps(a)) for i, (n, a) in enumerate(calls)],
        "tool_calls",
        "scripted",
    )


class ScriptedChatModel:
    backend = "scripted"
    model = "scripted"

    def __init__(self, *replies: ChatResult | str, supports_images: bool = False) -> None:
        self.replies: deque[ChatResult | str] = deque(replies)
        self.supports_images = supports_images
        self.calls: list[dict[str, Any]] = []

    def chat(
        self,
        messages: list[Message],
        *,
        tools: list[Tool] | None = None,
        tool_choice: ToolChoice | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> ChatResult:
        self.calls.append({"messages": messages, "tools": tools, "tool_choice": tool_choice})
        nxt = self.replies.popleft()
        return ChatResult(nxt, [], "stop", "scripted") if isinstance(nxt, str) else nxt

    def stream(self, messages: list[Message], **kwargs: Any) -> Iterator[ChatDelta]:
        yield ChatDelta(self.chat(messages, **kwargs).content)

    def prompt(self, i: int = -1) -> str:
        return "\n".join(message_text(m) for m in self.calls[i]["messages"])
