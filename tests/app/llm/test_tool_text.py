from __future__ import annotations

import json

from app.llm.local import as_text_messages, tool_call_prefill
from app.llm.tool_text import parse_tool_calls, tools_system_prompt
from app.pipeline.distill_llm import SEARCH_TOOL


def test_hermes_blocks_are_parsed() -> None:
    text = (
        '<tool_call>\n{"name": "search_medicine_database", "arguments": {"medicine": "warfarin"}}\n</tool_call>\n'
        '<tool_call>\n{"name": "search_medicine_database", "arguments": {"medicine": "ibuprofen"}}\n</tool_call>'
    )
    content, calls = parse_tool_calls(text)
    assert content == ""
    assert [json.loads(c.arguments)["medicine"] for c in calls] == ["warfarin", "ibuprofen"]


def test_broken_arguments_are_kept_raw_for_the_validator() -> None:
    _, calls = parse_tool_calls('<tool_call>\n{"name": "f", "arguments": {"medicine": "warf')
    assert calls[0].name == "f" and calls[0].arguments.startswith('{"medicine": "warf')


def test_bare_json_and_parameters_key() -> None:
    content, calls = parse_tool_calls('Calling: {"name": "f", "parameters": {"a": 1}} done')
    assert [(c.name, json.loads(c.arguments)) for c in calls] == [("f", {"a": 1})]
    assert content == "Calling:  done"
    assert parse_tool_calls("no calls here {not json}") == ("no calls here {not json}", [])


def test_tools_in_the_system_prompt_and_prefill() -> None:
    assert "search_medicine_database" in tools_system_prompt([SEARCH_TOOL])
    msgs = as_text_messages([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}],
                            [SEARCH_TOOL])
    assert msgs[0]["content"].startswith("Be brief.") and "<tools>" in msgs[0]["content"]
    prefill = tool_call_prefill([SEARCH_TOOL], "required")
    assert prefill == '<tool_call>\n{"name": "search_medicine_database", "arguments": {"medicine": "'
    assert tool_call_prefill([SEARCH_TOOL], "auto") == ""
    _, calls = parse_tool_calls(prefill + 'warfarin", "attribute": "dosage", "keywords": "dose"}}\n</tool_call>')
    assert json.loads(calls[0].arguments) == {"medicine": "warfarin", "attribute": "dosage", "keywords": "dose"}
