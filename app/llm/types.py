"""Messages, tool calls and replies exchanged with chat models, in the OpenAI chat-completions shape.

Messages are plain dicts (`{"role": ..., "content": ...}`) because every backend speaks that format;
replies are typed dataclasses.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Message = dict[str, Any]
Tool = dict[str, Any]
ToolChoice = str | dict[str, Any]  # "auto" | "none" | "required" | {"type": "function", ...}


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A function call as the model emitted it; `arguments` is the raw JSON text, validated by the caller."""

    id: str
    name: str
    arguments: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": "function", "function": {"name": self.name, "arguments": self.arguments}}


@dataclass
class ChatResult:
    content: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None
    model: str = ""
    usage: dict[str, int] = field(default_factory=dict)
    latency_ms: float = 0.0
    attempts: int = 1

    def audit(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "finish_reason": self.finish_reason,
            "usage": self.usage,
            "latency_ms": round(self.latency_ms, 1),
            "attempts": self.attempts,
        }


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A fragment of a streamed tool call: the first fragment of a call carries its id and name."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


@dataclass(frozen=True, slots=True)
class ChatDelta:
    content: str = ""
    tool_calls: tuple[ToolCallDelta, ...] = ()
    finish_reason: str | None = None


def accumulate(deltas: list[ChatDelta], model: str = "") -> ChatResult:
    """Join streamed deltas into one reply; tool-call argument fragments are concatenated per index."""
    text: list[str] = []
    calls: dict[int, dict[str, str]] = {}
    finish = None
    for d in deltas:
        text.append(d.content)
        for tc in d.tool_calls:
            call = calls.setdefault(tc.index, {"id": "", "name": "", "arguments": ""})
            call["id"] = tc.id or call["id"]
            call["name"] = tc.name or call["name"]
            call["arguments"] += tc.arguments
        finish = d.finish_reason or finish
    tool_calls = [
        ToolCall(c["id"] or f"call_{i}", c["name"], c["arguments"]) for i, c in sorted(calls.items())
    ]
    return ChatResult("".join(text), tool_calls, finish, model)


def text_message(role: str, text: str) -> Message:
    return {"role": role, "content": text}


def image_data_url(image: str | Path | bytes, mime: str | None = None) -> str:
    """An image file (or its bytes) as a data URL, the form vision-language servers accept inline."""
    if isinstance(image, str) and image.startswith("data:"):
        return image
    if isinstance(image, bytes):
        data = image
        mime = mime or "image/png"
    else:
        path = Path(image)
        data = path.read_bytes()
        mime = mime or mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def user_message(text: str, images: list[str | Path | bytes] | None = None) -> Message:
    """A user turn; with images, content becomes a list of text and image_url parts."""
    if not images:
        return text_message("user", text)
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}]
    parts += [{"type": "image_url", "image_url": {"url": image_data_url(img)}} for img in images]
    return {"role": "user", "content": parts}


def message_text(message: Message) -> str:
    """The text of a message whether its content is a string or a list of parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""
