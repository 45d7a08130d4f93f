"""Conditions a user says they do not have: "I have bipolar, not epilepsy", "she doesn't have asthma", "no history
of ulcers", "I'm not pregnant.". Their words are blanked before conditions are read, so a denial never becomes a
stated condition (lamotrigine's epilepsy lines had led an answer about why it was given for bipolar disorder).

Only a short phrase that ends where the denial ends is blanked ("not epilepsy.", "doesn't have kidney disease and"):
"is it not safe in pregnancy?" denies nothing. A condition that only describes a medicine ("it's an epilepsy drug",
"an allergy/itch pill") is no condition of the user either.
"""

from __future__ import annotations

import re

_DENIED = re.compile(
    r"\b(?:not|isn'?t|is not|aren'?t|are not|never (?:had|been)|"
    r"(?:don'?t|doesn'?t|do not|does not|didn'?t|did not) (?:have|has|had|get|suffer from)|"
    r"(?:haven'?t|hasn'?t|has not|have not) (?:got|had|been diagnosed with)|no (?:history|signs?) of|rather than)\s+"
    r"(?:(?:an?|any)\s+)?"
    # one word, or two when the first is no preposition or verdict ("not safe in pregnancy" is a question)
    r"((?:(?!(?:in|on|for|with|during|while|when|if|to|at|by|from|safe|ok|okay|good|allowed|advised|recommended|"
    r"suitable|sure|worried|meant|supposed|going|able|taking|using|on)\b)[a-z'-]+\s+)?[a-z'-]+)"
    r"(?=\s*(?:[,.;:!?)]|\band\b|\bbut\b|\bso\b|\bor\b|$))",
    re.IGNORECASE)

# "which says it's an epilepsy drug": a kind of medicine (not "my epilepsy drug", which says whose condition)
_DESCRIBES_MEDICINE = re.compile(r"\ban?\s+((?:[a-z'/-]+\s+)?[a-z'/-]+)\s+"
                                 r"(?:drugs?|medicines?|medications?|meds?|pills?|tablets?)\b", re.IGNORECASE)


def without_denials(text: str) -> str:
    """The text with each condition the user denies blanked (same length, so spans found after still line up)."""
    for pattern in (_DENIED, _DESCRIBES_MEDICINE):
        text = pattern.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)] + " " * len(m.group(1))
                           + m.group(0)[m.end(1) - m.start(0):], text)
    return text
