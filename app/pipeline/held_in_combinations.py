"""A medicine the database has no label of its own for, but holds as an ingredient of combination products
("can my 8 year old take dextromethorphan?", 右美沙芬): "not in the database" is true of its own label and
misleading of the database. The answer says which products hold it, so the user can name the one they have; it
never answers from a combination's label about the single ingredient (that would be another medicine's dose)."""

from __future__ import annotations

import re

from indexing.store import SearchIndex

# Products listed at most; the rest are "and others".
MAX_LISTED = 4
_ASCII_WORDS = re.compile(r"[a-z][a-z -]{2,}[a-z]", re.IGNORECASE)
_COMBINATION = re.compile(r"\band\b|/|\+", re.IGNORECASE)


def _said_names(unknown: str) -> list[str]:
    """The English name(s) an unknown drug was said or glossed with ("右美沙芬（dextromethorphan）")."""
    return [w.strip().casefold() for w in _ASCII_WORDS.findall(unknown)]


def combinations_holding(unknown: list[str], index: SearchIndex | None) -> list[tuple[str, list[str]]]:
    """(the name as said, the combination products whose names hold it as a whole word) for each unknown drug
    the database holds only inside combinations."""
    if index is None:
        return []
    out: list[tuple[str, list[str]]] = []
    for said in unknown:
        for name in _said_names(said):
            word = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
            held = sorted({entry.name for entry in index.medicines.values()
                           if _COMBINATION.search(entry.name) and word.search(entry.name)}, key=len)
            if held:
                out.append((said, held))
                break
    return out


def held_notice(held: list[tuple[str, list[str]]], chinese: bool) -> str:
    """The notice for `combinations_holding`'s findings ("" when there are none)."""
    parts = []
    for name, products in held:
        listed = "; ".join(products[:MAX_LISTED]) + ("; ..." if len(products) > MAX_LISTED else "")
        if chinese:
            parts.append(f"数据库中没有{name}的单方说明书；它是以下复方制剂的成分：{listed}。如果您用的是其中之一，请告诉我具体药名。")
        else:
            parts.append(f"The medicine database has no label of {name} on its own; it is an ingredient of: {listed}. "
                         "If you have one of these, ask about it by name.")
    return " ".join(parts)
