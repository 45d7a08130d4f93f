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


def _capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def _pasted_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped or stripped.endswith(("?", "\uff1f")):
        return False
    if _capitals(stripped):
        return True  # a label or sticker typed off in capitals
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
