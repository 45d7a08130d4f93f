"""A count of tablets quoted from a label of another strength than the one the user takes.

The database holds one label per medicine, of one product: acetaminophen's is a 325 mg tablet. Asked "taking
Dolo 650, can I take 4 tablets a day?", the reader quotes "do not take more than 10 tablets in 24 hours", which
for a 650 mg tablet is 6.5 g (helper 106's trial, session 12). Counts of tablets hold for the label's own
strength only: when the user names a strength the label never gives, the answer says so and that the dose is
counted in milligrams.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.pipeline import phrases

# "650 mg", "500mg"; a product name and its strength ("Dolo 650", "Panadol 500"): three or four digits after
# a word (not a year: "since 2019")
_SAID_MG = re.compile(r"(?<![\d.])(\d{2,4}(?:\.\d+)?)\s*(?:mg\b|milligrams?\b|毫克)", re.IGNORECASE)
_SAID_AFTER_NAME = re.compile(r"\b[a-z]{3,}[ -](\d{3,4})\b(?!\s*(?:mcg|micrograms?|ml|units?|iu|g\b|%))",
                              re.IGNORECASE)
_COUNT = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
                    r"(?:tablets?|caplets?|capsules?|gelcaps?|geltabs?|softgels?|pills?)\b", re.IGNORECASE)
_LABEL_MG = re.compile(r"\b(\d+(?:\.\d+)?)\s*mg\b", re.IGNORECASE)
_YEARS = range(1900, 2100)
# A pill's imprint is no strength: "with 894 on one side", "stamped RD 71", "R150 on it"
_BEFORE_IMPRINT = frozenset({"with", "and", "marked", "stamped", "printed", "engraved", "debossed", "imprinted", "code",
                             "number", "says", "reads", "side"})
_ON_THE_PILL = re.compile(r"\s+on (?:it|them|one side|the other|both sides|the back|the front)\b", re.IGNORECASE)


def strengths_said(question: str) -> set[float]:
    """The strengths in milligrams the question names for a product."""
    out = {float(m.group(1)) for m in _SAID_MG.finditer(question)}
    out |= {float(n) for m in _SAID_AFTER_NAME.finditer(question)
            if (n := int(m.group(1))) >= 100 and n not in _YEARS
            and m.group(0)[:-len(m.group(1))].strip(" -").casefold() not in _BEFORE_IMPRINT
            and _ON_THE_PILL.match(question, m.end()) is None}
    return out


def counts_tablets(quote: str) -> bool:
    return _COUNT.search(quote) is not None


def label_strengths(label_text: str) -> set[float]:
    """Every milligram amount the label text gives (its strengths among them)."""
    return {float(m.group(1)) for m in _LABEL_MG.finditer(label_text.replace(",", ""))}


def strength_notice(question: str, quoted: Iterable[tuple[str, str, str]], language: phrases.Language) -> str:
    """The notice for tablet counts quoted (`quoted`: medicine name, quote, the label's whole text) from labels
    that never give the strength the user named; "" when none is."""
    said = strengths_said(question)
    if not said:
        return ""
    for name, quote, label in quoted:
        given = label_strengths(label)
        if counts_tablets(quote) and given and not said & given:
            strength = f"{min(said):g} mg"
            if language == "zh":
                return (f"数据库中{name}的说明书不是{strength}规格的，其中的片数不适用于您的药片。"
                        f"请按毫克计算剂量，并咨询药师。")
            return (f"The numbers of tablets quoted are for the {name} product in the database's label, which never "
                    f"gives a {strength} strength: they do not hold for {strength} tablets. Count the dose in mg, "
                    "and check with a pharmacist.")
    return ""


# A daily ceiling in milligrams ("more than 4,000 mg of acetaminophen in 24 hours", "doses that exceed 4,000
# milligrams per day"): what holds whatever the strength of the user's tablets.
_MG_CEILING = re.compile(r"\b(?:more than|exceed\w*|not to exceed|maximum(?: daily dose)?(?: of| is)?|up to)\s+"
                         r"[\d,]+(?:\.\d+)?\s*(?:mg|milligrams?)\b|\b[\d,]+\s*(?:mg|milligrams?)\b[^.]{0,40}"
                         r"\b(?:in 24 hours|per day|a day|daily)\b", re.IGNORECASE)
COUNT_PENALTY = 1.5
CEILING_BONUS = 1.5


def strength_mismatch(question: str, label_text: str) -> bool:
    """Whether the question names a strength the label never gives (its tablet counts do not hold)."""
    said = strengths_said(question)
    return bool(said) and not said & label_strengths(label_text)


def mg_ceiling(text: str) -> bool:
    return _MG_CEILING.search(text) is not None


def strength_fit(text: str, mismatch: bool) -> float:
    """For a strength the label lacks: a count of tablets loses, a daily ceiling in milligrams gains."""
    if not mismatch:
        return 0.0
    return (CEILING_BONUS if _MG_CEILING.search(text) else 0.0) - (COUNT_PENALTY if counts_tablets(text) else 0.0)
