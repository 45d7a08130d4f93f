"""Pure metric functions: ranks and hit@k, MRR, abstention precision/recall, latency percentiles,
and multiple-choice answer-letter extraction. No I/O, no pipeline imports."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

ABSTAIN_STATUSES = frozenset({"no_evidence", "unknown_drug"})
CLARIFY_STATUS = "clarify"


def same_medicine(medicine_id: str) -> str:
    """The medicine a label is of, for scoring: an ingredient sold both on prescription and over the counter
    has two labels in the database (indexing.corpus: `ibuprofen` and `ibuprofen-otc`), and either answers a
    question about ibuprofen; neither is another medicine."""
    return medicine_id.removesuffix("-otc")


def wrong_medicine(cited: Sequence[str], gold_ids: Iterable[str]) -> bool:
    """Whether the answer's first citation is about a medicine the question is not about. An answer that
    cites nothing is not wrong here (it abstained or asked back); a question about a product the database
    lacks (no gold id) is answered wrongly by any citation at all."""
    return bool(cited) and same_medicine(cited[0]) not in {same_medicine(g) for g in gold_ids}


def parse_chunk_id(chunk_id: str) -> tuple[str, str]:
    """'warfarin-sodium:interactions:3' -> ('warfarin-sodium', 'interactions')."""
    parts = chunk_id.rsplit(":", 2)
    if len(parts) != 3:
        raise ValueError(f"not a chunk id: {chunk_id!r}")
    return parts[0], parts[1]


def first_rank(ranked: Sequence[str], hit: Callable[[str, str], bool]) -> int | None:
    """1-based rank of the first chunk id whose (medicine, attribute) satisfies `hit`, else None."""
    for i, cid in enumerate(ranked, start=1):
        medicine, attribute = parse_chunk_id(cid)
        if hit(medicine, attribute):
            return i
    return None


def hit_at(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def mean(values: Iterable[float]) -> float | None:
    vals = list(values)
    return sum(vals) / len(vals) if vals else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), q in [0, 100]; None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


@dataclass(frozen=True, slots=True)
class PrecisionRecall:
    tp: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float | None:
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.actual if self.actual else None


def precision_recall(pairs: Iterable[tuple[bool, bool]]) -> PrecisionRecall:
    """pairs of (actual, predicted) booleans."""
    tp = predicted = actual = 0
    for a, p in pairs:
        tp += a and p
        predicted += p
        actual += a
    return PrecisionRecall(tp, predicted, actual)


# -- multiple-choice answers --------------------------------------------------------------------------

_EXPLICIT = [
    # "The answer is (C)", "answer: C", "Correct option: **C**", "I choose C", "final answer is C."
    re.compile(
        r"\b(?:final\s+)?(?:answer|option|choice)(?:\s+is)?\s*(?:[:=]|is|would be|should be)?\s*[\*\(\[\"']*"
        r"\s*([A-D])\b(?![\w'])",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:choose|select|pick|go with)\s+(?:option\s+)?[\*\(\[\"']*([A-D])\b(?![\w'])", re.IGNORECASE),
]
_LEADING = re.compile(r"^\W*(?:option\s+)?[\*\(\[\"']*([A-D])(?:[\)\]\.:,\*\"']|\s*$|\s+[-–:])", re.IGNORECASE)
_BARE = re.compile(r"^\W*([A-D])\W*$", re.IGNORECASE)
_HEDGE = re.compile(r"(?<![\w'])\(?[A-D]\)?\s*(?:or|/)\s*\(?[A-D]\)?(?![\w'])")
_STANDALONE = re.compile(r"(?<![\w'])[\(\[\*]*([A-D])[\)\]\*]*(?![\w'])")


def extract_letter(text: str | None, options: dict[str, str] | None = None) -> str | None:
    """The option letter a model's reply commits to, or None when it does not say.

    Accepted: "C", "(C)", "**C**", "C.", "C) ...", "Option C: ...", "The answer is (C).", "Answer: C",
    "I choose C". Failing those, a reply that quotes exactly one option's text. A reply that names two
    different letters in equally explicit ways is ambiguous and returns None.
    """
    if not text or not text.strip():
        return None
    stripped = text.strip()
    if _HEDGE.search(stripped):
        return None
    bare = _BARE.match(stripped)
    if bare:
        return bare.group(1).upper()
    for pattern in _EXPLICIT:
        found = {m.group(1).upper() for m in pattern.finditer(stripped)}
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:
            return None
    lead = _LEADING.match(stripped)
    if lead:
        return lead.group(1).upper()
    if options:
        folded = stripped.casefold()
        quoted = [k for k, v in options.items() if v and v.strip().casefold().rstrip(".") in folded]
        if len(quoted) == 1:
            return quoted[0].upper()
    # A single capital letter standing alone ("... so B.") — only when exactly one appears.
    alone = {m.group(1) for m in _STANDALONE.finditer(stripped) if not _is_article(stripped, m)}
    return alone.pop() if len(alone) == 1 else None


def _is_article(text: str, match: re.Match[str]) -> bool:
    """'A new abnormality': the word 'A', not option A."""
    return match.group(1) == "A" and bool(re.match(r"\s+[a-z]", text[match.end() :]))
