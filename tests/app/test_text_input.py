"""app/text_input.py: what can be stored, the form names are matched in, bounds on free-form JSON."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from app.text_input import JsonLimitError, StorableText, check_json, for_matching, storable, unstorable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ibu\u200bprofen", "ibuprofen"),  # zero-width space
        ("war\u200dfarin", "warfarin"),  # zero-width joiner
        ("war\u200cfar\u2060in", "warfarin"),  # zero-width non-joiner, word joiner
        ("\u202eibuprofen\u202c", "ibuprofen"),  # bidi override and pop
        ("\u2067warfarin\u2069 \u200fok", "warfarin ok"),  # bidi isolate, right-to-left mark
        ("\ufeffibu\u00adprofen", "ibuprofen"),  # byte-order mark, soft hyphen
        ("ｉｂｕｐｒｏｆｅｎ", "ibuprofen"),  # full width (NFKC)
        ("Ibuprofen 200 mg", "Ibuprofen 200 mg"),  # case and spaces kept
        ("阿司匹林\u200b肠溶片", "阿司匹林肠溶片"),
    ],
)
def test_for_matching_drops_invisible_characters_and_applies_nfkc(text: str, expected: str) -> None:
    assert for_matching(text) == expected


@pytest.mark.parametrize(("text", "what"), [("a\x00b", "NUL (U+0000) at character 1"),
                                            ("ab\ud800", "a lone surrogate (U+D800) at character 2"),
                                            ("\udfff", "a lone surrogate (U+DFFF) at character 0")])
def test_unstorable_names_the_character(text: str, what: str) -> None:
    assert unstorable(text) == f"contains {what}"
    assert unstorable(storable(text)) is None


@pytest.mark.parametrize("text", ["plain", "\U0001f48a pill", "ibu\u200bprofen", "tab\there", ""])
def test_storable_text_passes(text: str) -> None:
    assert unstorable(text) is None


def test_storable_text_type_refuses_nul_and_surrogates() -> None:
    class Model(BaseModel):
        text: StorableText

    assert Model(text="warfarin").text == "warfarin"
    for bad in ("war\x00farin", "war\ud800farin"):
        with pytest.raises(ValidationError, match="text contains"):
            Model(text=bad)


def _deep(levels: int) -> dict[str, object]:
    value: dict[str, object] = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def test_check_json_depth() -> None:
    assert check_json(_deep(3), max_depth=3) == _deep(3)
    with pytest.raises(JsonLimitError, match="nested deeper than 3 levels") as err:
        check_json(_deep(4), max_depth=3)
    assert err.value.where == "a.a.a"
    with pytest.raises(JsonLimitError):  # deeper than Python's recursion limit: refused, no RecursionError
        check_json(_deep(100_000), max_depth=32)
    with pytest.raises(JsonLimitError, match="nested deeper"):
        check_json([[[[]]]], max_depth=3)


def test_check_json_text_and_size() -> None:
    with pytest.raises(JsonLimitError, match="NUL") as err:
        check_json({"a": [1, "x\x00"]}, max_depth=8)
    assert err.value.where == "a.1"
    with pytest.raises(JsonLimitError, match="a key contains a lone surrogate"):
        check_json({"k\ud800": 1}, max_depth=8)
    with pytest.raises(JsonLimitError, match="bytes of JSON"):
        check_json({"a": "x" * 100}, max_depth=8, max_bytes=50)
    assert check_json({"a": "x" * 10}, max_depth=8, max_bytes=50) == {"a": "x" * 10}
