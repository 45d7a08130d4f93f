"""Of two medicines asked about together, the label that speaks of the other is read first.

"I take Xanax ... the doctor wants me on itraconazole. Any issue?": alprazolam's label contraindicates strong CYP3A
inhibitors "(e.g., ketoconazole, itraconazole)" while itraconazole's says nothing of alprazolam; "does fluconazole do
anything to my methadone?": methadone's interactions name fluconazole. The label that names the other by its own
name, or by a class the labels put it in, in its contraindications or boxed warning outranks one naming it in its
warnings, which outranks one naming it among its interactions. There a class word alone ("beta-blockers", "CYP3A4
inhibitors") does not count: labels name classes of each other throughout those sections, so albuterol's
"beta-blockers" would lead a question about propranolol for someone with asthma. When both speak of the other alike
(sildenafil's contraindication of nitrates, nitroglycerin's of sildenafil), the order the conversation gives (the
medicine being considered first: distill._considered_first) stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from app.records.interactions import links_for
from indexing.store import SearchIndex

_SECTION_WEIGHT: tuple[tuple[str, int], ...] = (
    ("contraindications", 3), ("boxed_warning", 3), ("warnings", 2), ("interactions", 1))
_BY_CLASS_TOO = frozenset({"contraindications", "boxed_warning"})


class _Named(Protocol):
    @property
    def medicine_id(self) -> str | None: ...


M = TypeVar("M", bound=_Named)


def speaks_of(index: SearchIndex, source: str, target: str) -> int:
    """How strongly `source`'s label speaks of `target`: the weight of the strongest section naming it, 0 if none."""
    links = links_for(index)
    texts: dict[str, list[str]] = {}
    for row in index.rows_by_medicine.get(source, ()):
        chunk = index.chunks[int(row)]
        texts.setdefault(chunk.attribute, []).append(chunk.text)
    def says(section: str) -> bool:
        text = " ".join(texts[section])
        return links.mentions(text, target) if section in _BY_CLASS_TOO else links.names(text, target)

    return max((weight for section, weight in _SECTION_WEIGHT if section in texts and says(section)), default=0)


def speaking_first(mentions: Sequence[M], index: SearchIndex | None) -> list[M]:
    """The mentions with the medicine whose label speaks more strongly of the other first (exactly two
    medicines; otherwise, or alike, as given)."""
    ids = list(dict.fromkeys(m.medicine_id for m in mentions if m.medicine_id))
    if index is None or len(ids) != 2:
        return list(mentions)
    a, b = ids
    first_speaks, second_speaks = speaks_of(index, a, b), speaks_of(index, b, a)
    if first_speaks == second_speaks:
        return list(mentions)
    first = a if first_speaks > second_speaks else b
    return sorted(mentions, key=lambda m: m.medicine_id != first)
