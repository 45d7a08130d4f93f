"""A medicine the user was not given, or taken off, in favour of another (session 9, consult_dev_wrongmed_s9).

"They took me off glipizide and put me on glimepiride", "The doctor didn't give me amoxicillin this time, she
prescribed doxycycline instead", "I asked for diazepam but the GP wouldn't prescribe it, gave me hydroxyzine
instead": the first medicine is not taken (the context's STOPPED: neither asked about by "it" nor a partner),
the second is the new one. A switch "from X to Y" is app.pipeline.context's _SWITCH.
"""

from __future__ import annotations

import re
from typing import Literal

# Said of a medicine that is not (or no longer) taken: taken off it, not given or prescribed it.
NOT_GIVEN = re.compile(
    r"\b(?:took|taken|take|taking) (?:me|him|her|them|us) off\b|\btaken off\b|"
    r"\b(?:didn'?t|did not|wouldn'?t|would not|won'?t|will not|refused to|declined to) (?:give|prescribe|renew)\b|"
    r"\bsaid no to\b|\bturned down\b|\bnot prescribed\b",
    re.IGNORECASE,
)
# "... gave me hydroxyzine instead", "she prescribed doxycycline instead" (not "instead of X", which names the
# one left)
_INSTEAD = re.compile(r"\binstead\b(?!\s+of\b)", re.IGNORECASE)
_INSTEAD_OF = re.compile(r"\binstead of\s+(?:my\s+|the\s+|his\s+|her\s+)?(?P<left>[\w\s-]+)", re.IGNORECASE)
_PART = re.compile(r"[,;]|\s+[-\u2013\u2014]+\s+|\s+(?:but|while|whereas|and|so)\s+", re.IGNORECASE)


def _names(text: str, surface: str) -> bool:
    words = r"\W+".join(map(re.escape, surface.split()))
    return re.search(rf"\b{words}\b", text, re.IGNORECASE) is not None


def instead_status(clause: str, surface: str, surfaces: list[str]) -> Literal["left", "given"] | None:
    """"left" or "given" for a medicine of a statement clause that says one medicine was given instead of
    another; None when the clause says no such thing or the name is in neither part.

    "X instead of Y": Y is left. "..., gave me Y instead": Y is given, every other medicine the clause names
    before it is left."""
    found = _INSTEAD_OF.search(clause)
    if found is not None:
        left = found.group("left")
        if _names(left, surface):
            return "left"
        if any(_names(left, s) for s in surfaces if s != surface):
            return "given"
        return None
    parts = [p for p in _PART.split(clause) if p and p.strip()]
    instead = next((i for i, p in enumerate(parts) if _INSTEAD.search(p) and any(_names(p, s) for s in surfaces)),
                   None)
    if instead is None:
        return None
    if _names(parts[instead], surface):
        return "given"
    if any(_names(p, surface) for p in parts[:instead]):
        return "left"
    return None
