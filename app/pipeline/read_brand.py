"""A brand asked about whose own label the database lacks, answered from another brand's label of the medicine.

The database holds one label per medicine, often a brand's: semaglutide's is WEGOVY's, insulin glargine's
REZVOGLAR's. Asked "how should I store my Ozempic pens?", the reader quotes "Store the WEGOVY prefilled pen ...",
which reads as an answer about another product. The medicine is the same and much of the text applies, but not
all of it (pens, strengths, doses differ between brands): the answer says which label it quotes and that the
asked brand's own label may differ.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from app.pipeline import phrases

_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
MIN_MENTIONS = 3  # a label written for a brand names it throughout


def label_brand(aliases: Iterable[str], label_text: str) -> str | None:
    """The brand a label is written for: the first word of one of its aliases, in capitals, said at least three
    times in its text (the one said most)."""
    counts: dict[str, int] = {}
    for alias in aliases:
        word = alias.split(" ")[0].strip("®™")
        if len(word) >= 4 and word.isalpha():
            counts[word.upper()] = label_text.count(word.upper())
    best = max(counts, key=lambda w: counts[w], default=None)
    return best if best is not None and counts[best] >= MIN_MENTIONS else None


def asked_brand(question: str, generic_of: Callable[[str], str | None], name_tokens: frozenset[str],
                label_text: str) -> str | None:
    """A word of the question that is a brand of this medicine (`generic_of`: brand -> generic name; the generic
    shares a word with the medicine's `name_tokens`) and that the label never says."""
    lowered = label_text.casefold()
    words: list[str] = _WORD.findall(question)
    for word in words:
        key = word.casefold()
        generic = generic_of(key)
        if (generic is None or key in name_tokens or key in lowered
                or not name_tokens & set(generic.casefold().split())):
            continue
        return word
    return None


def brand_notice(name: str, asked: str, brand: str, language: phrases.Language) -> str:
    if language == "zh":
        return f"数据库中{name}的说明书是{brand}的说明书，没有提到{asked}；{asked}的说明书可能有所不同。"
    return (f"The medicine database's {name} label is {brand}'s; it does not mention {asked.capitalize()}, whose own "
            "label may differ (ask a pharmacist).")
