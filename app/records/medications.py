"""Which database medicines a patient's recorded medications are: RxNorm code first, then name.

A medication list entry reads "Warfarin Sodium 5 MG Oral Tablet (since 2019-03-01; for Atrial fibrillation)";
its RxNorm code is written on the medication record it summarises ("Medication: Warfarin Sodium 5 MG Oral
Tablet (RxNorm 855332). Started ...; still taken ...", as the Synthea and FHIR importers write them), or in
the entry itself ("RxNorm 314076", "RxCUI: 314076").

The code is mapped first (`MedicineMapper`: one of a label's RxCUIs; through its ingredients when an RxNorm
release is configured); an entry whose codes map to nothing is matched by name (the lexicon's exact names),
and last by the name the release gives its code.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from app.records.model import Record
from app.records.rxnorm import MedicineMapper, RxNorm
from indexing.store import SearchIndex

_CODE_IN_TEXT = re.compile(r"\b(?:rxnorm|rxcui)\b[:#]?\s*((?:\d{1,9})(?:\s*,\s*\d{1,9})*)", re.IGNORECASE)
_MEDICATION_RECORD = re.compile(r"^Medication:\s*(?P<name>.+?)\s*\(RxNorm (?P<codes>\d+(?:, \d+)*)\)\.")
_STILL_TAKEN = re.compile(r";\s*still taken\b")
# "(since 2020-03-05; for Acute deep venous thrombosis (disorder))": the reason may hold parentheses itself.
_ENTRY_TAIL = re.compile(r"\s*\((?:since|started|recorded) \d.*$", re.IGNORECASE | re.DOTALL)
# How a code or name was placed, best first.
HOW_ORDER = ("rxcui", "ingredient", "name", "rxnorm_name", "none")


@dataclass(frozen=True, slots=True)
class Resolved:
    medicine_ids: tuple[str, ...]
    how: str  # one of HOW_ORDER
    codes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"medicine_ids": list(self.medicine_ids), "how": self.how, "codes": list(self.codes)}


def entry_name(entry: str) -> str:
    """A list entry without its dates and reason: "Warfarin Sodium 5 MG Oral Tablet (since 2019-03-01)" ->
    "Warfarin Sodium 5 MG Oral Tablet"."""
    return _ENTRY_TAIL.sub("", entry).strip()


def codes_in(text: str) -> list[str]:
    """RxNorm codes written in a text ("RxNorm 855332", "RxCUI: 1, 2")."""
    return [c.strip() for found in _CODE_IN_TEXT.finditer(text) for c in found.group(1).split(",")]


def current_codes(records: Iterable[Record]) -> dict[str, list[str]]:
    """Medication name (casefolded) -> its RxNorm codes, from the patient's medication records still taken."""
    out: dict[str, list[str]] = {}
    for record in records:
        if record.kind != "medication" or not _STILL_TAKEN.search(record.text):
            continue
        found = _MEDICATION_RECORD.match(record.text)
        if found is None:
            continue
        codes = out.setdefault(found.group("name").casefold(), [])
        codes.extend(c for c in found.group("codes").split(", ") if c not in codes)
    return out


def resolve(
    entry: str, codes: Iterable[str], mapper: MedicineMapper, by_name: Callable[[str], list[str]]
) -> Resolved:
    """The medicines of one medication entry: by code (RxCUI, ingredients), else by its words, else by the
    name an RxNorm release gives the code."""
    codes = tuple(dict.fromkeys(codes))
    fallback: Resolved | None = None
    for code in codes:
        match = mapper.map(code)
        if match.medicine_ids and match.how in ("rxcui", "ingredient"):
            return Resolved(match.medicine_ids, match.how, codes)
        if match.medicine_ids and fallback is None:  # named from the release: after the entry's own words
            fallback = Resolved(match.medicine_ids, "rxnorm_name", codes)
    named = tuple(dict.fromkeys(by_name(entry_name(entry))))
    if named:
        return Resolved(named, "name", codes)
    return fallback or Resolved((), "none", codes)


class MedicationResolver:
    """Resolves a patient's medication entries against the serving index's medicines; the mapper (RxCUIs,
    and ingredient sets when an RxNorm release is given) is built once per index version."""

    def __init__(self, rxnorm_dir: Path | None = None) -> None:
        self.rxnorm_dir = rxnorm_dir
        self._rxnorm: RxNorm | None = None
        self._mapper: tuple[str, MedicineMapper] | None = None
        self._lock = threading.Lock()

    def mapper(self, index: SearchIndex) -> MedicineMapper:
        key = f"{index.path}:{index.version}"
        with self._lock:
            if self._mapper is None or self._mapper[0] != key:
                if self.rxnorm_dir is not None and self._rxnorm is None:
                    self._rxnorm = RxNorm.load(self.rxnorm_dir)
                self._mapper = (key, MedicineMapper(index.medicines.values(), self._rxnorm))
            return self._mapper[1]

    def resolve_list(
        self, entries: list[str], records: list[Record], index: SearchIndex, by_name: Callable[[str], list[str]]
    ) -> dict[str, Resolved]:
        """Each entry of a medication list -> the medicines it is."""
        mapper = self.mapper(index)
        by_record = current_codes(records)
        out: dict[str, Resolved] = {}
        for entry in entries:
            codes = codes_in(entry) or by_record.get(entry_name(entry).casefold(), [])
            out[entry] = resolve(entry, codes, mapper, by_name)
        return out
