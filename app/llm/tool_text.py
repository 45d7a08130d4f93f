"""Tool calls written as text, for models (or servers) without native tool-call support.

The format is the Hermes one that Qwen-family models and vLLM's `hermes` parser use:

    <tool_call>
    {"name": "search_medicine_database", "arguments": {"medicine": "...", ...}}
    </tool_call>

A model whose chat template has no tools section gets the tool list in its system prompt
(`tools_system_prompt`) and its reply is parsed here (`parse_tool_calls`). Arguments are returned as
the raw text the model wrote: validating them is the caller's business, so a malformed call is still
reported (and counted) rather than silently dropped.
"""

from __future__ import annotations

import json
import re
from typing import Any

from app.llm.types import Tool, ToolCall

TOOL_CALL_OPEN = "<tool_call>"
_TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL)
_NAME = re.compile(r'"name"\s*:\s*"([^"]+)"')
_ARGS_KEY = re.compile(r'"(?:arguments|parameters)"\s*:\s*')


def tools_system_prompt(tools: list[Tool]) -> str:
    signatures = "\n".join(json.dumps(t.get("function", t), ensure_ascii=False) for t in tools)
    return (
        "You may call one or more functions to assist with the user query. The function signatures are "
        f"inside <tools></tools>:\n<tools>\n{signatures}\n</tools>\n"
        "For each function call, return a JSON object with the function name and arguments within "
        "<tool_call></tool_call> tags:\n<tool_call>\n"
        '{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'
    )


def _balanced_object(text: str, start: int) -> str | None:
    """The JSON object starting at text[start] ('{'), by brace matching outside strings."""
    depth, in_str, escaped = 0, False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return None


def _arguments_text(body: str) -> str:
    """The arguments of one call as written: the object after "arguments", else whatever follows it."""
    key = _ARGS_KEY.search(body)
    if key is None:
        return ""
    rest = body[key.end() :]
    if rest.startswith("{"):
        obj = _balanced_object(rest, 0)
        if obj is not None:
            return obj
    if rest.startswith('"'):  # arguments encoded as a JSON string
        try:
            value, _ = json.JSONDecoder().raw_decode(rest)
            return value if isinstance(value, str) else json.dumps(value)
        except json.JSONDecodeError:
            pass
    return rest.rstrip().removesuffix("}").rstrip()


def _call_from_body(body: str, i: int) -> ToolCall | None:
    body = body.strip()
    try:
        parsed: Any = json.loads(body)
    except json.JSONDecodeError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("name"), str):
        args = parsed.get("arguments", parsed.get("parameters", {}))
        text = args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)
        return ToolCall(f"call_{i}", parsed["name"], text)
    name = _NAME.search(body)
    if name is None:
        return None
    return ToolCall(f"call_{i}", name.group(1), _arguments_text(body))


def parse_tool_calls(text: str) -> tuple[str, list[ToolCall]]:
    """(text outside the calls, the calls) from a reply; bare JSON calls are accepted without tags."""
    calls: list[ToolCall] = []
    if TOOL_CALL_OPEN in text:
        for body in _TAGGED.findall(text):
            call = _call_from_body(body, len(calls))
            if call is not None:
                calls.append(call)
        content = _TAGGED.sub("", text).strip()
        return content, calls
    start = text.find("{")
    while start != -1:
        obj = _balanced_object(text, start)
        call = _call_from_body(obj, len(calls)) if obj else None
        if call is not None and obj is not None:
            calls.append(call)
            text = text[:start] + text[start + len(obj) :]
            start = text.find("{", start)
        else:
            start = text.find("{", start + 1)
    return text.strip(), calls
