"""A dosing table's row quoted with what its cells mean.

Labels reach the index with their tables flattened: a caption and a header row ("Infection | Severity a |
Recommended Dosage for Adults ... Weight Greater than 40 kg | Recommended Dosage for Pediatric Patients ... Less
than 40 kg."), then one sentence a row ("Severe | 875 mg every 12 hours ... | 45 mg/kg/day ..."), a row under a
spanning cell without its first cells. Quoted alone, such a row loses which column is the adult's. And an OTC
directions block ("children 2 to under 6 years of age Chew ... once daily. Do not give more than 2 tablets in 24
hours. adults and children 6 years and over ...") says its age once, at the row's start, so its second sentence
loses whom it is for.

`headed_rows` reads a section's chunks in order (a header row holds across a chunk boundary) and gives, for each
row as the sentence pool quotes it, the row with its labels: the cells that say no dose name the row ("Ear/Nose/
Throat ..., Mild/ Moderate"), each dose cell follows its column's header, shortened by the words all dose
columns' headers begin with ("Adults and Pediatric Patients ... Greater than 40 kg: 500 mg every 12 hours"); a
directions row's later sentences follow the row's label ("Children 2 to under 6 years of age: Do not give ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from indexing.text import sentences

_BAR = re.compile(r"\s*\|\s*")
_AMOUNT = re.compile(r"\d[\d,.]*\s*(?:mg|mcg|µg|g|grams?|mL|units?|IU|tablets?|capsules?|teaspoons?)\b", re.I)
_FOOTNOTE = re.compile(r"\s+[a-z*†‡]$")  # "Severity a": the cell's footnote mark
# "... every 8 hours. a Dosage for infections ...": the table's note after its last row
_NOTE_AFTER = re.compile(r"\.\s+[a-z*†‡]\s+[A-Z].*$")
_CAPTION = re.compile(r"^.*:\s*")  # "Table 1. Dosage Recommendations for ...: Infection" -> "Infection"
# Where an OTC directions row starts, as read_dose's rows ("adults and children 12 years and over", "children
# under 2 years of age"), and where its label ends: the row's first instruction.
_ROW_LABEL = re.compile(r"(?:^|(?<=[\s.;]))(?P<label>(?:adults|children|child|infants|consumers)\b(?: and children)?"
                        r"\s+(?:\d|under|over|younger|older|aged?|with)[^.;:]{0,60}?)"
                        r"\s+(?=[A-Z]|ask\b|take\b|chew\b|use\b|give\b|do not\b)")
_MIN_KEY = 30
MAX_HEADED = 420


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(". ")


def _cells(sentence: str) -> list[str]:
    return [c.strip(" .;") for c in _BAR.split(sentence.strip())]


def _common_prefix(labels: list[str]) -> int:
    """How many leading words all `labels` share (none kept whole)."""
    words = [label.split() for label in labels]
    n = 0
    while all(len(w) > n + 1 for w in words) and len({w[n].lower() for w in words}) == 1:
        n += 1
    return n


def _headed(header: list[str], row: list[str], carried: list[str]) -> tuple[str, list[str]]:
    """The row as a line with its labels, and its full cells (a spanning cell's rows carry the first ones)."""
    full = carried[: len(header) - len(row)] + row if len(row) < len(header) else row
    doses = [i for i, cell in enumerate(full) if _AMOUNT.search(cell)]
    named = [cell for i, cell in enumerate(full) if i not in doses and cell]
    labels = [header[i] for i in doses]
    cut = _common_prefix(labels) if len(labels) > 1 else 0
    said = "; ".join(f"{' '.join(label.split()[cut:])}: {full[i]}" for label, i in zip(labels, doses, strict=True))
    line = f"{', '.join(named)} — {said}" if named else said
    return line[:1].upper() + line[1:] + ".", full


@dataclass(frozen=True, slots=True)
class HeadedRows:
    """A section's table rows (a row's words as the pool quotes them, normalised -> the row with its headers) and
    directions rows' later sentences (normalised -> the row's label)."""

    rows: dict[str, str]
    labels: dict[str, str]

    def __bool__(self) -> bool:
        return bool(self.rows or self.labels)


@lru_cache(maxsize=1024)
def headed_rows(chunk_texts: tuple[str, ...]) -> HeadedRows:
    """The rows of a section's chunks (in order) that need their labels to be read."""
    out: dict[str, str] = {}
    labels: dict[str, str] = {}
    header: list[str] = []
    carried: list[str] = []
    for text in chunk_texts:  # a chunk may begin with rows whose header ended the chunk before
        for sentence in sentences(text):
            if "|" not in sentence:
                header, carried = [], []
                continue
            cells = _cells(sentence)
            if not any(_AMOUNT.search(c) for c in cells):
                if len(cells) >= 3:
                    header = [_FOOTNOTE.sub("", _CAPTION.sub("", c) if i == 0 else c) for i, c in enumerate(cells)]
                    carried = []
                continue
            if not header or len(cells) > len(header):
                continue
            line, carried = _headed(header, [_NOTE_AFTER.sub("", c) for c in cells], carried)
            if len(line) <= MAX_HEADED:
                out[_norm("; ".join(cells))] = line
        labels.update(_directions_rows(text))
    return HeadedRows(out, labels)


def _directions_rows(text: str) -> dict[str, str]:
    """A directions row's sentences after its first, with the row's label before them."""
    out: dict[str, str] = {}
    flat = " ".join(text.split())
    starts = list(_ROW_LABEL.finditer(flat))
    for m, after in zip(starts, [*starts[1:], None], strict=False):
        label = m.group("label").strip()
        row = flat[m.end(): after.start() if after is not None else len(flat)]
        for later in sentences(row)[1:]:
            later = later.strip()
            if len(later) >= _MIN_KEY and not _ROW_LABEL.match(later):
                out[_norm(later)] = label[:1].upper() + label[1:]
    return out


def with_labels(text: str, headed: HeadedRows) -> str | None:
    """The headed form of a pool sentence that is a table row or a directions row's later sentence, else None."""
    key = _norm(text)
    if len(key) < _MIN_KEY:
        return None
    if (found := headed.rows.get(key)) is not None:
        return found
    # the pool's sentence may have lost a leading cell the cleaning took for a heading
    cut = next((line for row, line in headed.rows.items() if row.endswith(key)), None) if "; " in key else None
    if cut is not None:
        return cut
    if (label := headed.labels.get(key)) is not None:  # a directions row's later sentence
        return f"{label}: {text}"
    # ... joined with the rows after it: they are quoted without it, whose row is another
    said = next((said for said in headed.labels if key.startswith(said) and len(key) > len(said) + _MIN_KEY), None)
    if said is None:
        return None
    rest = " ".join(text.split())[len(said):].lstrip(". ")  # `said` is the sentence's words, normalised
    return rest[:1].upper() + rest[1:]


def section_texts(chunks: Sequence[tuple[int, str]]) -> tuple[str, ...]:
    """A section's chunk texts in order, from (position, text) pairs."""
    return tuple(text for _, text in sorted(chunks))
