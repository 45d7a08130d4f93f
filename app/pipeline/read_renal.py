"""Renal dosing rows for the kidney function the user states (issue 18: "a child's age -> paediatric dosing"; the
same for kidney function).

"My creatinine clearance is about 20 - how should cephalexin be dosed?" is answered by the row "Creatinine clearance
15 to 29 mL/min 250 mg, every 8 hours or every 12 hours", not by the rows for 30 to 59 or above 60, which share
every word of the question. `said_clearance` reads the number said after CrCl, creatinine clearance or eGFR;
`clearance_fit` scores a sentence by whether the ranges it names hold it.
"""

from __future__ import annotations

import re

_SAID = re.compile(
    r"\b(?:cr ?cl|clcr|creatinine clearance|e?gfr|kidney function)\b(?:\s*(?:is|was|of|at|around|about|approx\w*|"
    r"only|now|last|down to|measured|=|:|~|≈|<|>|-))*\s*(\d{1,3}(?:\.\d)?)\b", re.IGNORECASE)
# A range a label row names: "Creatinine clearance 15 to 29 mL/min", "CrCl 15-30 mL/min", "CrCl < 30 mL/min",
# "eGFR between 30 and 60", "creatinine clearance under 60 mL per minute"
_RANGE = re.compile(
    r"\b(?:cr ?cl|clcr|creatinine clearances?|e?gfrs?)\b[^.;:]{0,30}?"
    r"(?:(?:between\s+)?(?P<lo>\d{1,3})\s*(?:to|-|–|and)\s*(?P<hi>\d{1,3})|"
    r"(?P<op><=?|>=?|≤|≥|less than(?: or equal to)?|greater than(?: or equal to)?|below|above|under|over|at least|"
    r"up to|more than|fewer than)\s*(?P<n>\d{1,3}))", re.IGNORECASE)
IN_RANGE_BONUS = 1.5
OUT_OF_RANGE_PENALTY = 2.0


def said_clearance(text: str) -> float | None:
    """The creatinine clearance (or eGFR) the user says, in mL/min; None when none is said."""
    found = _SAID.search(text)
    if found is None:
        return None
    value = float(found.group(1))
    return value if 0 < value < 200 else None


def _holds(found: re.Match[str], value: float) -> bool:
    if found.group("lo"):
        return float(found.group("lo")) <= value <= float(found.group("hi"))
    op, n = found.group("op").casefold(), float(found.group("n"))
    if op in ("<", "less than", "below", "under", "fewer than"):
        return value < n
    if op in ("<=", "≤", "less than or equal to", "up to"):
        return value <= n
    if op in (">", "greater than", "above", "over", "more than"):
        return value > n
    return value >= n  # >=, ≥, at least, greater than or equal to


def clearance_fit(text: str, value: float | None) -> float:
    """What a sentence gains for the stated clearance: a bonus when a range it names holds it, a penalty when it
    names ranges and none does (another row of the table); nothing when it names none."""
    if value is None:
        return 0.0
    ranges = list(_RANGE.finditer(text))
    if not ranges:
        return 0.0
    return IN_RANGE_BONUS if any(_holds(r, value) for r in ranges) else -OUT_OF_RANGE_PENALTY
