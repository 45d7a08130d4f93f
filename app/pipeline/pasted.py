"""Text pasted into a message is what the person has in front of them, not what they ask.

A bottle's label typed off or scanned ("GLIPIZIDE 5 MG TABLET / TAKE 1 TABLET BY MOUTH 30 MINUTES BEFORE
BREAKFAST"), a medication list from a portal or a discharge summary ("Amlodipine 5mg - morning"), a quoted line of a
letter or a pharmacy's text: its words of dose and timing are the label's, and read as the question they make every
such message a dose question ("... first ever gout attack two months after starting these. Connected?"). The names
in it stay: they say what is taken. `asked_part` is the message less those lines, for reading what is asked.
"""

from __future__ import annotations

import re

# A list line: an optional bullet or number, a name of one to four words, a strength ("Amlodipine 5mg - morning",
# "2. Simvastatin 40mg tablets - ONE at night", "Clopidogrel 75mg OD - NEW")
_LIST_LINE = re.compile(
    r"^\s*(?:[-\u2022*\u00b7>]+|\d{1,2}[.)])?\s*[A-Za-z][\w/+'-]*(?:\s+[\w/+'()-]+){0,4}?\s+\d+(?:\.\d+)?\s*"
    r"(?:mg|mcg|micrograms?|g|ml|units?|iu|%)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|my|me|we|our|should|can|could|is|does|do)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{30,})[\"\u201d]")
_DIRECTIONS = re.compile(r"\b(?:take|tab|tabs|tablet|tablets|capsule|caps|daily|once|twice|od|bd|tds|mg|mcg|by mouth|"
                         r"qty|rx|refills?|start|plan|continue|commenced|dose)\b", re.IGNORECASE)


# A Chinese prescription's or list's line: a field ("用法：口服 一次0.5g 一日3次", "诊断：急性扁桃体炎") or a
# product with its strength and count ("阿莫西林胶囊 0.5g×24粒"), asking nothing and saying nothing of the person
_ZH_FIELD = re.compile(r"^\s*(?:用法|用量|用法用量|诊断|规格|医嘱|出院带药|处方|频次|数量|备注|服法)\s*[:：]")
_ZH_STRENGTH = re.compile(r"\d+(?:\.\d+)?\s*(?:mg|g|ug|μg|mcg|ml|毫克|克|微克|毫升)|"
                          r"[×xX]\s*\d+\s*(?:粒|片|袋|支|盒|月)|每(?:日|天|晚|周)\s*[\dlI一二三两]\s*次", re.IGNORECASE)
_ZH_ASKS_OR_TELLS = re.compile(r"[吗么呢？?]|什么|怎么|能不能|可不可以|会不会|要不要|咋|是否|我|他|她|医生")


def _chinese_pasted(line: str) -> bool:
    if not re.search(r"[\u4e00-\u9fff]", line) or _ZH_ASKS_OR_TELLS.search(line):
        return False
    return _ZH_FIELD.search(line) is not None or _ZH_STRENGTH.search(line) is not None


def _capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def _pasted_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped or stripped.endswith(("?", "\uff1f")):
        return False
    if _capitals(stripped) or _chinese_pasted(stripped):
        return True  # a label or sticker typed off in capitals, a prescription's line
    return _LIST_LINE.match(stripped) is not None and _FIRST_PERSON.search(stripped) is None


def asked_part(text: str) -> str:
    """The message less its pasted lines and long quoted directions; the whole message when nothing else is left
    (a question typed in capitals is still the question)."""
    kept = _QUOTED.sub(lambda m: " " if _DIRECTIONS.search(m.group(1)) else m.group(), text)
    lines = kept.split("\n")
    asked = [line for line in lines if not _pasted_line(line)]
    rest = "\n".join(asked).strip()
    if not rest or not re.search(r"\w", rest):
        return text
    # a list's lead-in left alone ("Dad's tablets from his blister pack label (he's 81):") asks nothing either,
    # but it says whose the medicines are: it stays
    return rest
