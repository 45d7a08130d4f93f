"""A question that asks what caused an effect ("Is the high potassium from the spironolactone?", "Is there any
link with the tablets?"), and the medicines a turn tells only as also taken ("He also takes a statin and vitamin
D.", "(plus bisoprolol and furosemide)").

Such a question asks about one medicine's effects; the others told beside it are background. Read as two
medicines asked together, it had been answered from the interactions of a vitamin or a diuretic taken beside
it (the medicine the user asked about came second, or not at all).
"""

from __future__ import annotations

import re

# Whether the asking sentence asks the cause of something told: "is the high potassium from X", "could this be
# because of", "any link with the tablets", "is that a side effect of".
_ASKS_CAUSE = re.compile(
    r"\b(?:is|are|was|were|could|can|might|would) (?:this|that|it|these|those|the [\w' -]{1,40}?|(?:my|his|her) "
    r"[\w' -]{1,40}?) (?:all |really |actually )?(?:be )?(?:from|caused by|because of|due to|down to|related to|"
    r"linked to|connected to|a side effect)\b|"
    r"\bany (?:link|connection)\b|\blink(?:ed)? (?:with|to|between)\b|\bcaused by\b|\bto do with\b|"
    r"\bis (?:this|that|it) because\b",
    re.IGNORECASE,
)
# Told as also taken: "also takes", "as well as", "plus", "besides", or set off in brackets.
_ALSO_BEFORE = re.compile(r"\b(?:also|plus|besides|as well as|along with)\b[^,;.?!]{0,50}$|\([^)]*$", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def asks_cause(sentence: str) -> bool:
    return _ASKS_CAUSE.search(sentence) is not None


def _find(text: str, surface: str) -> int:
    words = re.findall(r"\w+", surface)
    if not words:
        return -1
    found = re.search(r"\b" + r"[\W_]*".join(map(re.escape, words)), text, re.IGNORECASE)
    return found.start() if found else -1


def told_as_also_taken(question: str, surface: str, asking: str) -> bool:
    """Whether the turn names a medicine only as one also taken, outside its asking sentence."""
    if _find(asking, surface) >= 0:
        return False
    for sentence in _SENTENCES.split(question):
        at = _find(sentence, surface)
        if at >= 0:
            return _ALSO_BEFORE.search(sentence[:at]) is not None
    return False
