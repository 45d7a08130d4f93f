"""Map a patient's RxNorm-coded medicines onto the database's medicines.

A patient's medication is coded by product (SCD "Warfarin Sodium 5 MG Oral Tablet", SBD, packs); a label
lists the RxCUIs of its own products. Few codes are equal, so the mapping goes through ingredients:

1. the code is one of a medicine's RxCUIs ("rxcui");
2. with an RxNorm release (RXNREL.RRF, RXNCONSO.RRF, or a subset of them), the code's ingredients are found
   by walking its relations towards ingredients (SBD tradename_of SCD, SCD consists_of SCDC, SCDC
   has_ingredient IN, PIN form_of IN, MIN has_part IN, pack contains drug, ...), and the medicines with the
   same ingredients are chosen: a medicine whose own RxCUIs have that ingredient set, or whose name is the
   ingredient's ("ingredient"); a combination no medicine has maps to its single ingredients;
3. otherwise the medicine's words are matched by name ("name"), with the caller's matcher (the lexicon's)
   or by whole-word name and alias match (a medicine matched only through words that another matched
   medicine's own name holds, such as a combination's ingredient alias, is left out).

RRF files are pipe-separated with a trailing pipe. RXNREL reads "RXCUI2 <RELA> RXCUI1" (the relation the
second concept has to the first); only concept-level rows (STYPE CUI) of SAB=RXNORM are used.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from indexing.store import MedicineEntry

# Relations followed from a product towards its ingredients (subject RELA object).
TOWARD_INGREDIENTS = frozenset({
    "tradename_of", "consists_of", "has_ingredient", "has_ingredients", "has_precise_ingredient", "form_of",
    "has_part", "contains", "quantified_form_of", "isa",
})
INGREDIENT_TTYS = frozenset({"IN"})
# Preferred term types for a concept's name, best first.
NAME_TTYS = ("IN", "PIN", "MIN", "SCD", "SBD", "GPCK", "BPCK", "SCDC", "SBDC", "SCDF", "SBDF", "BN", "DF")
MAX_DEPTH = 6


@dataclass
class RxNorm:
    """The part of an RxNorm release the mapping needs: names, term types, ingredient-ward relations."""

    names: dict[str, str] = field(default_factory=dict)  # rxcui -> preferred name
    tty: dict[str, str] = field(default_factory=dict)  # rxcui -> preferred term type
    edges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, directory: Path) -> RxNorm:
        """Read RXNCONSO.RRF (optional) and RXNREL.RRF from `directory`."""
        rel = directory / "RXNREL.RRF"
        if not rel.is_file():
            raise FileNotFoundError(f"{directory}: no RXNREL.RRF (an RxNorm release's rrf/ folder)")
        out = cls()
        conso = directory / "RXNCONSO.RRF"
        if conso.is_file():
            rank: dict[str, int] = {}
            with conso.open(encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    cols = line.rstrip("\n").split("|")
                    if len(cols) < 15 or cols[11] != "RXNORM" or (len(cols) > 16 and cols[16] in ("O", "Y", "E")):
                        continue
                    rxcui, tty, name = cols[0], cols[12], cols[14]
                    r = NAME_TTYS.index(tty) if tty in NAME_TTYS else len(NAME_TTYS)
                    if r < rank.get(rxcui, len(NAME_TTYS) + 1):
                        rank[rxcui] = r
                        out.names[rxcui], out.tty[rxcui] = name, tty
        with rel.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                cols = line.rstrip("\n").split("|")
                if len(cols) < 11 or cols[10] != "RXNORM" or cols[2] != "CUI" or cols[6] != "CUI":
                    continue
                first, second, rela = cols[0], cols[4], cols[7]
                if first and second and rela in TOWARD_INGREDIENTS:
                    out.edges[second].add(first)
        return out

    def name(self, rxcui: str) -> str | None:
        return self.names.get(rxcui)

    def ingredients(self, rxcui: str) -> frozenset[str]:
        """The ingredient (IN) concepts of a code; a code with no known relations and no term type is its own."""
        found: set[str] = set()
        seen = {rxcui}
        frontier = [rxcui]
        for _ in range(MAX_DEPTH):
            nxt: list[str] = []
            for cui in frontier:
                if self.tty.get(cui) in INGREDIENT_TTYS:
                    found.add(cui)
                    continue
                targets = self.edges.get(cui, set())
                if not targets and cui != rxcui and cui not in self.tty:
                    found.add(cui)  # a dead end of unknown type: take it as the ingredient
                for t in sorted(targets - seen):
                    seen.add(t)
                    nxt.append(t)
            frontier = nxt
            if not frontier:
                break
        return frozenset(found)


@dataclass(frozen=True, slots=True)
class Match:
    medicine_ids: tuple[str, ...]
    how: str  # "rxcui" | "ingredient" | "name" | "none"
    ingredients: tuple[str, ...] = ()  # the code's ingredient names (or RxCUIs) when RxNorm was used


def _words(text: str) -> str:
    return " " + re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip() + " "


class MedicineMapper:
    """RxNorm codes and medication names -> the database's medicine ids."""

    def __init__(
        self,
        medicines: Iterable[MedicineEntry],
        rxnorm: RxNorm | None = None,
        by_name: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.medicines = list(medicines)
        self.rxnorm = rxnorm
        self.by_name = by_name
        self.by_rxcui: dict[str, list[str]] = defaultdict(list)
        for m in self.medicines:
            for cui in m.rxcuis:
                self.by_rxcui[cui].append(m.id)
        # ingredient set -> medicines whose own products have exactly those ingredients
        self.by_ingredients: dict[frozenset[str], list[str]] = defaultdict(list)
        if rxnorm is not None:
            for m in self.medicines:
                sets = {rxnorm.ingredients(cui) for cui in m.rxcuis} - {frozenset()}
                for s in sets:
                    if m.id not in self.by_ingredients[s]:
                        self.by_ingredients[s].append(m.id)
        self._names = [(m.id, [_words(n) for n in (m.name, *m.aliases) if n.strip()]) for m in self.medicines]

    def _named(self, text: str) -> list[str]:
        if self.by_name is not None:
            return self.by_name(text)
        words = _words(text)
        hits = [(mid, [n for n in names if n in words], names[0]) for mid, names in self._names]
        hits = [h for h in hits if h[1]]
        # Labels of combinations list each ingredient as an alias ("Lisinopril" on lisinopril and
        # hydrochlorothiazide). The medicines named by their own names win: "lisinopril 10 MG Oral Tablet" is
        # lisinopril, not also the combination; "Lisinopril and Hydrochlorothiazide ..." is the combination,
        # not also lisinopril (a name inside a longer matched name is dropped).
        by_own_name = [primary for _, matched, primary in hits if primary in matched]
        keep = []
        for mid, matched, primary in hits:
            if primary in matched:
                if not any(primary != own and primary in own for own in by_own_name):
                    keep.append(mid)
            elif not all(any(n in own for own in by_own_name) for n in matched):
                keep.append(mid)
        return keep

    def map(self, rxcui: str | None, name: str = "") -> Match:
        """The medicines a patient's medication (an RxNorm code and/or its words) is."""
        if rxcui and rxcui in self.by_rxcui:
            return Match(tuple(self.by_rxcui[rxcui]), "rxcui")
        rx = self.rxnorm
        if rxcui and rx is not None:
            ingredients = rx.ingredients(rxcui)
            named = {i: rx.name(i) or i for i in ingredients}
            if ingredients:
                ids = list(self.by_ingredients.get(ingredients, []))
                if not ids:  # by ingredient: a medicine of each single ingredient, or named like it
                    for ing in sorted(ingredients, key=named.__getitem__):
                        hits = self.by_ingredients.get(frozenset({ing})) or self.by_rxcui.get(ing) or []
                        if not hits and rx.name(ing):
                            hits = self._named(named[ing])
                        ids.extend(h for h in hits if h not in ids)
                if ids:
                    return Match(tuple(ids), "ingredient", tuple(sorted(named.values())))
            if not name:
                name = rx.name(rxcui) or ""
        ids = self._named(name) if name else []
        return Match(tuple(dict.fromkeys(ids)), "name" if ids else "none")
