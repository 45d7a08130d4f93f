"""Which line of a medication list the person means: "the third one on the list", "the one he takes at bedtime,
not the senna", "I meant the one above it".

A list pasted into the chat (a repeat slip, a discharge summary's medicines, a blister pack's label) is read line by
line: each line is one product, in the database or not (a line of senna or of calcium and vitamin D counts as a line
though the database lacks it). A reference by position or by the time of day the line gives picks that line's
product; nothing is picked where the reference fits no line, or several (the question is then read as before).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.pipeline.lexicon import NameMatch

_WORD_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                  "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "bottom": -1, "top": 1}
_ZH_ORDINALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ORDINAL = re.compile(
    r"\bthe (?P<word>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|bottom|top)"
    r"(?: one| med\w*| drug| pill| tablet| line| thing| item)(?: (?:on|in|of) (?:the|my|his|her|their|that) "
    r"(?:list|sheet|slip|letter|summary))?|"
    r"\bthe (?P<num>\d{1,2})(?:st|nd|rd|th) (?:one|med\w*|drug|pill|tablet|line|thing|item)\b|"
    r"\b(?:number|no\.?|#|line|item) ?(?P<bare>\d{1,2})\b(?: (?:on|in) (?:the|my|his|her) (?:list|sheet|slip))?|"
    r"第(?P<zh>[一二两三四五六七八九十]|\d{1,2})(?:个|种|行|条|项|样)|最后(?:一|那)(?:个|种|行|条|项|样)",
    re.IGNORECASE)
_LIST_WORD = re.compile(r"\b(?:list|sheet|slip|letter|summary|above|below|one)\b|清单|单子|第", re.IGNORECASE)
# "I meant the one above it", "sorry, the one below that": the line next to the one the previous question meant
_NEIGHBOUR = re.compile(r"\bthe (?:one|line|med\w*) (?P<side>above|below|before|after) (?:it|that|this|that one)\b|"
                        r"(?P<zh>上面|下面|前面|后面)(?:那|一)(?:个|行|条|种)", re.IGNORECASE)
_TIMES: dict[str, re.Pattern[str]] = {
    "night": re.compile(r"\b(?:bed ?time|night|nightly|nighttime|night-time|nocte|qhs|at bed|evening|(?-i:ON))\b|"
                        r"睡前|晚上|每晚|夜间", re.IGNORECASE),
    "morning": re.compile(r"\b(?:morning|mane|breakfast|(?-i:OM))\b|早上|早晨|早餐", re.IGNORECASE),
}
_TIME_ASKED = re.compile(
    r"\bthe (?P<t1>bed ?time|night|nighttime|evening|morning) (?:one|pill|tablet|med\w*)\b|"
    r"\bthe (?:one|pill|tablet|med\w*) (?:i|he|she|they|we|you|mum|dad|mom) (?:takes?|has|have|gets?|uses?) "
    r"(?:at|in the|before|with) (?P<t2>bed ?time|night|nighttime|evening|morning|breakfast|bed)\b|"
    r"(?P<t3>睡前|晚上|早上)(?:吃|服|用)的(?:那个|那种|那片)",
    re.IGNORECASE)
_TIME_OF = {"bedtime": "night", "bed time": "night", "bed": "night", "night": "night", "nighttime": "night",
            "evening": "night", "morning": "morning", "breakfast": "morning", "睡前": "night", "晚上": "night",
            "早上": "morning"}
# a line of the list: a strength, or a direction of when to take it
_LINE_HAS_DOSE = re.compile(r"\d+(?:\.\d+)?\s*(?:mg|mcg|micrograms?|g|ml|units?|iu|%|毫克|微克|克|片|粒)|"
                            r"\b(?:daily|once|twice|morning|night|bedtime|od|bd|tds|prn|weekly|(?-i:ON|OM))\b",
                            re.IGNORECASE)
_SET_ASIDE = re.compile(r"\bnot (?:the |his |her |my )?([A-Za-z][\w-]+)|不是([\u4e00-\u9fff]{2,6})", re.IGNORECASE)


def _lines(text: str) -> list[str]:
    lines = [ln.strip() for ln in re.split(r"\n|(?<=\S) / (?=\S)", text) if ln.strip()]
    return [ln for ln in lines if _LINE_HAS_DOSE.search(ln) and not ln.rstrip().endswith(("?", "？"))]


def _ordinal(found: re.Match[str]) -> int:
    if found.group("word"):
        return _WORD_ORDINALS[found.group("word").casefold()]
    digits = found.group("num") or found.group("bare")
    if digits:
        return int(digits)
    zh = found.group("zh")
    if zh:
        return int(zh) if zh.isdigit() else _ZH_ORDINALS[zh]
    return -1  # 最后一个


def _at(lines: list[str], n: int) -> str | None:
    if n == -1:
        return lines[-1]
    return lines[n - 1] if 1 <= n <= len(lines) else None


def _position_asked(question: str, earlier_questions: Sequence[str], lines: list[str]) -> int | None:
    found = _ORDINAL.search(question)
    if found is not None:
        return _ordinal(found)
    near = _NEIGHBOUR.search(question)
    if near is None:
        return None
    before = next((_ORDINAL.search(q) for q in reversed(earlier_questions) if _ORDINAL.search(q)), None)
    if before is None:
        return None
    n = _ordinal(before)
    n = len(lines) if n == -1 else n
    side = (near.group("side") or near.group("zh") or "").casefold()
    return n - 1 if side in ("above", "before", "上面", "前面") else n + 1


def _time_asked(question: str) -> str | None:
    found = _TIME_ASKED.search(question)
    if found is None:
        return None
    said = next(g for g in (found.group("t1"), found.group("t2"), found.group("t3")) if g)
    return _TIME_OF.get(said.casefold().replace("  ", " "), "night" if "bed" in said.casefold() else None)


def listed_meant(question: str, user_turns: Sequence[str], find: Callable[[str], list[NameMatch]]
                 ) -> list[NameMatch]:
    """The product of the list line the question means by its position or its time of day, from the most recent
    earlier user turn holding a list of three lines or more; [] when none is meant or the reference is unclear."""
    for i in range(len(user_turns) - 1, -1, -1):
        lines = _lines(user_turns[i])
        if len(lines) >= 3:
            break
    else:
        return []
    line: str | None = None
    position = _position_asked(question, user_turns[i + 1:], lines)
    if position is not None:
        line = _at(lines, position)
    elif (time := _time_asked(question)) is not None:
        aside = {w.casefold() for m in _SET_ASIDE.finditer(question) for w in m.groups() if w}
        fits = [ln for ln in lines if _TIMES[time].search(ln)
                and not any(w in ln.casefold() for w in aside)]
        line = fits[0] if len(fits) == 1 else None
    if line is None:
        return []
    named = find(line)
    return named[:1]
