""""What is pepsin?", "what's magnesium stearate": a question about a substance no label here is of.

The word may still be in the labels: as an inactive ingredient (lactose, gelatin, magnesium stearate are
listed in hundreds of descriptions) or in passing (pepsin, in two pharmacology sections). Searched as a
question, it finds sentences about something else or nothing (no_evidence); it is a product the database
has no label of, and the answer says so (unknown_drug). A word the labels use mostly outside the
ingredient sections (gout, hypertension, serotonin) is a condition or a term, not a product: left alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.pipeline.context import condition_kinds
from app.pipeline.lexicon import ORDINARY_WORDS
from indexing.text import tokenize

if TYPE_CHECKING:
    from indexing.store import SearchIndex

_WHAT_IS = re.compile(
    r"^\s*(?:(?:so|and|ok|okay|hi|hey|hello|quick question)[,!.]?\s+)?"
    r"(?:what(?:'s| is| are)|whats|what exactly is|tell me about)\s+(?:a |an |the |some )?"
    r"(?P<what>[a-z][a-z0-9\- ]{1,40}?)"
    r"(?:\s+(?:made (?:of|from)|exactly))?\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_MAX_WORDS = 3
# Sections where a label lists what a product is made of (inactive ingredients, capsule shells, packaging)
_INGREDIENT_SECTIONS = frozenset({"description", "dosage_forms", "storage"})
_INGREDIENT_SHARE = 0.5  # at least half the label chunks naming the word are of those sections
_RARE = 20  # named in fewer label chunks than this: no ordinary word of the labels (known_word_test's line)
_NOT_SUBSTANCES = frozenset("it this that medicine medication drug pill tablet dose difference best "
                            "side effect effects generic brand".split())


def substance_asked(question: str, index: SearchIndex | None) -> str | None:
    """The substance a "what is X?" question asks about, when the labels use X only as an ingredient or
    hardly at all (so no label is about it); None for any other question or word."""
    found = _WHAT_IS.match(question)
    if found is None or index is None:
        return None
    what = " ".join(found.group("what").split())
    words = what.casefold().split()
    if len(words) > _MAX_WORDS or any(w in ORDINARY_WORDS or w in _NOT_SUBSTANCES for w in words):
        return None
    if condition_kinds(what):
        return None
    return what if _ingredient_or_rare(index, what) else None


def _ingredient_or_rare(index: SearchIndex, what: str) -> bool:
    tokens = tokenize(what)
    if not tokens:
        return False
    bm25 = index.bm25
    docs: set[int] | None = None
    for token in tokens:
        term = bm25.term_id(token)
        if term is None:
            return True  # a word no label uses
        found = {int(d) for d in bm25.indices[bm25.indptr[term]:bm25.indptr[term + 1]]}
        docs = found if docs is None else docs & found
    if not docs or len(docs) < _RARE:
        return True
    in_ingredients = sum(1 for d in docs if index.chunks[d].attribute in _INGREDIENT_SECTIONS)
    return in_ingredients / len(docs) >= _INGREDIENT_SHARE
