"""The one interface the pipeline uses to talk to a chat model, whichever backend serves it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from app.llm.types import ChatDelta, ChatResult, Message, Tool, ToolChoice


class ChatModel(Protocol):
    backend: str  # "openai_compat" | "local"
    model: str
    supports_images: bool

    def chat(
        self,
        messages: list[Message],
        *,
        tools: list[Tool] | None = None,
        tool_choice: ToolChoice | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> ChatResult:
        """One complete reply; raises app.llm.errors.ModelError subclasses on failure."""
        ...

    def stream(
        self,
        messages: list[Message],
        *,
        tools: list[Tool] | None = None,
        tool_choice: ToolChoice | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Iterator[ChatDelta]:
        """The reply as it is generated; `accumulate` joins the deltas into a ChatResult."""
        ...
