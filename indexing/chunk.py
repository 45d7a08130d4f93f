"""Split medicines into attribute-scoped chunks: sentence-packed, with overlap between neighbours."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from indexing.schema import ATTRIBUTES, CHINESE_HEADINGS, Attribute, Chunk, Medicine
from indexing.text import sentences

_ZH_LABELS: dict[str, str] = {}
for _heading, _attr in CHINESE_HEADINGS.items():
    _ZH_LABELS.setdefault(_attr.value, _heading)


@dataclass(frozen=True, slots=True)
class ChunkingConfig:
    max_chars: int = 1000
    overlap_chars: int = 200

    def __post_init__(self) -> None:
        if self.max_chars < 50:
            raise ValueError("max_chars must be at least 50")
        if not 0 <= self.overlap_chars < self.max_chars // 2:
            raise ValueError("overlap_chars must be >= 0 and less than half of max_chars")

    def to_dict(self) -> dict[str, int]:
        return {"max_chars": self.max_chars, "overlap_chars": self.overlap_chars}


# Where a run-on "sentence" (a list of headings with cross-references, a flattened table) may be cut, best
# first: the end of a bracketed reference before a capital ("... (5.13) ] Most common adverse reactions are
# ..." keeps the sentence after it whole), a bullet, a semicolon, a colon; else any space.
_CUT_PLACES = (
    re.compile(r"[\])][ \t]+(?=[A-Z])"),
    re.compile(r"\s(?=[•○▪●◦])"),
    re.compile(r"[;][ \t]+"),
    re.compile(r":[ \t]+"),
)


def _cut_at(text: str, max_chars: int) -> int:
    """The end of the first piece of an over-long sentence: the last cut place of the best kind found in the
    piece's second half, else the last space there, else max_chars."""
    lowest = max_chars // 2
    for place in _CUT_PLACES:
        ends = [m.end() for m in place.finditer(text, lowest, max_chars + 1) if lowest < m.end() <= max_chars]
        if ends:
            return ends[-1]
    cut = text.rfind(" ", lowest, max_chars)
    return cut if cut > 0 else max_chars


def _hard_split(sentence: str, max_chars: int) -> list[str]:
    """A 'sentence' longer than a chunk (tables flattened to text, lists): split where a list item ends."""
    pieces: list[str] = []
    rest = sentence
    while len(rest) > max_chars:
        cut = _cut_at(rest, max_chars)
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def _units(text: str, max_chars: int) -> list[str]:
    out: list[str] = []
    for s in sentences(text):
        out.extend(_hard_split(s, max_chars) if len(s) > max_chars else [s])
    return out


def split_section(text: str, config: ChunkingConfig) -> list[str]:
    """Greedy sentence packing; each new piece starts with the trailing sentences of the previous one
    (up to overlap_chars) so a fact spanning a boundary is whole in at least one chunk."""
    units = _units(text, config.max_chars)
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for unit in units:
        extra = len(unit) + (1 if current else 0)
        if current and size + extra > config.max_chars:
            pieces.append(" ".join(current))
            carried: list[str] = []
            carried_size = 0
            for prev in reversed(current):
                if carried_size + len(prev) + 1 > config.overlap_chars:
                    break
                carried.insert(0, prev)
                carried_size += len(prev) + 1
            if carried_size + len(unit) + 1 > config.max_chars:
                carried, carried_size = [], 0
            current, size = carried, max(carried_size - 1, 0)
            extra = len(unit) + (1 if current else 0)
        current.append(unit)
        size += extra
    if current:
        pieces.append(" ".join(current))
    return pieces


def section_title(medicine: Medicine, attribute: str) -> str:
    if medicine.lang == "zh":
        return f"{medicine.name} {_ZH_LABELS.get(attribute, attribute)}"
    label = Attribute(attribute).label if attribute in ATTRIBUTES else attribute
    return f"{medicine.name} - {label}"


def chunk_medicine(medicine: Medicine, config: ChunkingConfig | None = None) -> Iterator[Chunk]:
    config = config or ChunkingConfig()
    for attribute in sorted(medicine.sections, key=ATTRIBUTES.index):
        title = section_title(medicine, attribute)
        for position, piece in enumerate(split_section(medicine.sections[attribute], config)):
            yield Chunk(
                chunk_id=f"{medicine.id}:{attribute}:{position}",
                medicine_id=medicine.id,
                attribute=attribute,
                position=position,
                text=piece,
                title=title,
                lang=medicine.lang,
            )


def chunk_medicines(medicines: Iterable[Medicine], config: ChunkingConfig | None = None) -> list[Chunk]:
    return [c for m in medicines for c in chunk_medicine(m, config)]
