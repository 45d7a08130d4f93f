"""What the reader derives from the whole index once per index version, instead of once per question.

`combination_names`: every medicine name or alias that joins ingredients ("Amoxicillin and Clavulanate
Potassium", "Lisinopril/HCTZ"), with its medicine and ingredients. The reader asks, for each medicine it
reads, which combination products its merged label also speaks of (`ExtractiveReader._other_products`);
scanning every medicine's names for that took ~8 ms a new medicine. The list is kept for one index version
(a new version replaces it).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from indexing.store import SearchIndex

# A product name joining ingredients: "Amoxicillin and Clavulanate Potassium", "Lisinopril/HCTZ".
COMBINED = re.compile(r"\s(?:and|&)\s|/|,", re.I)


@dataclass(frozen=True, slots=True)
class CombinationName:
    medicine_id: str
    ingredient_ids: frozenset[str]
    name: str


_lock = threading.Lock()
# The loaded index the list was made from (by identity: two indexes may share a version name, as test stubs
# and two index directories do) and the list; one at a time, a swapped-out version's list goes.
_cached: tuple[SearchIndex, tuple[CombinationName, ...]] | None = None


def combination_names(index: SearchIndex) -> tuple[CombinationName, ...]:
    """The names of `index` that join ingredients, in the index's medicine order (built once per loaded
    index version)."""
    global _cached
    cached = _cached
    if cached is not None and cached[0] is index:
        return cached[1]
    names = tuple(CombinationName(m.id, frozenset(m.ingredient_ids), n)
                  for m in index.medicines.values() for n in (m.name, *m.aliases) if COMBINED.search(n))
    with _lock:
        _cached = (index, names)
    return names


def combined_with(index: SearchIndex, medicine_id: str) -> set[str]:
    """The names of other medicines that combine `medicine_id` with another ingredient: it is one of their
    ingredients, or its name is a word of theirs."""
    own = re.compile(rf"\b{re.escape(index.medicines[medicine_id].name.casefold())}\b", re.I)
    return {c.name for c in combination_names(index) if c.medicine_id != medicine_id
            and (medicine_id in c.ingredient_ids or own.search(c.name))}
