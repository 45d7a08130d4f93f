"""A numbered list in one sentence, too long to quote whole: its items, each with the sentence's opening.

"Diltiazem ... capsules are contraindicated in (1) patients with sick sinus syndrome ..., (2) patients with
second- or third-degree AV block except in the presence of a functioning ventricular pacemaker, (3) ..." is 520
characters: the sentence splitter leaves it out (a run-on that long is usually a flattened table), so a patient
stating an AV block got the dosing section instead. Each item is quoted as "<opening> <item>." ("Diltiazem ...
capsules are contraindicated in patients with second- or third-degree AV block except in the presence of a
functioning ventricular pacemaker."): a whole sentence saying what the label says of that item, and no other.
"""

from __future__ import annotations

import re

from app.pipeline.compose import MAX_SENTENCE, strip_references

# "(1) ", "(2) ": numbered items; "1) " too.
_NUMBER = re.compile(r"(?:,\s*|;\s*|\s)(?:and\s+|or\s+)?(?:\((\d{1,2})\)|(\d{1,2})\))\s+")
# The opening must say what the items are: "contraindicated in", "should not be used in", "do not use if".
_OPENING = re.compile(r"\bcontraindicated\b|\bshould not be (?:used|given|taken)\b|\bdo not (?:use|take|give)\b|"
                      r"\bnot recommended\b|\bavoid\b", re.I)
_SECTIONS = frozenset({"contraindications", "warnings", "boxed_warning"})
_MIN_ITEM = 12
_MAX_ITEMS = 12


def enumerated_items(section: str, text: str) -> list[str]:
    """The items of each numbered list sentence of `text` longer than a quotable sentence, as sentences."""
    if section not in _SECTIONS:
        return []
    out: list[str] = []
    # (the numbers go with the cross-references in strip_references: it is applied to each item's line)
    for sentence in re.split(r"(?<=[.])\s+(?=[A-Z])", " ".join(text.split())):
        if len(sentence) <= MAX_SENTENCE:
            continue
        out += _items(sentence)
    return out


def _items(sentence: str) -> list[str]:
    marks = list(_NUMBER.finditer(sentence))
    numbers = [int(m.group(1) or m.group(2)) for m in marks]
    if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)) or len(marks) > _MAX_ITEMS:
        return []
    opening = sentence[:marks[0].start()].strip()
    if not _OPENING.search(opening) or not opening[:1].isupper():
        return []
    out = []
    for m, following in zip(marks, [*marks[1:], None], strict=True):
        item = sentence[m.end():following.start() if following is not None else len(sentence)]
        item = item.strip().rstrip(".;, ")
        if len(item) < _MIN_ITEM:
            continue
        line = strip_references(f"{opening} {item}.")
        if len(line) <= MAX_SENTENCE:
            out.append(line)
    return out
