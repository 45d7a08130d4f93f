"""Anatomical regions of chest imaging: find the regions a question asks about, and the sentences of a
report that are about them.

A region is a structure (lower lung zone, costophrenic angle, cardiac silhouette, ...) and, for paired
structures, a side. Structures form a small hierarchy (the lower lung zone is part of the lung), so a
sentence about the whole lung ("the left lung is clear") bears on a question about the left lower lung
zone, and a sentence about the left lung base bears on a question about the left lung. Sentences are
judged clause by clause, so "right lower lobe opacity and a small left effusion" is about the left pleura
only through its second clause. A clause that names no side ("no pneumothorax") applies to both sides.

Built from the wording of the MMXU questions (lung zones, costophrenic angles, hemidiaphragms, hila,
cardiac silhouette, mediastinum, aortic arch, spine, pleura, lines and tubes) and of radiology reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from indexing.text import sentences


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


BOTH: frozenset[Side] = frozenset({Side.LEFT, Side.RIGHT})


@dataclass(frozen=True, slots=True)
class Structure:
    key: str
    label: str
    pattern: re.Pattern[str]
    parents: tuple[str, ...] = ()
    paired: bool = True  # left/right matters (not for midline structures such as the heart)


def _s(key: str, label: str, pattern: str, parents: tuple[str, ...] = (), paired: bool = True) -> Structure:
    return Structure(key, label, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), parents, paired)


STRUCTURES: tuple[Structure, ...] = (
    _s("costophrenic", "costophrenic angle", r"costophrenic(?: angles?| sulc[iu]s| recess(?:es)?)?|cp angles?",
       ("pleura", "lower_zone")),
    _s("hemidiaphragm", "hemidiaphragm", r"hemi-?diaphragms?|diaphragms?|diaphragmatic", ("lower_zone",)),
    _s("apical_zone", "apical zone", r"apical(?: (?:lung )?zones?| regions?| areas?)?|apex|apices|biapical",
       ("upper_zone",)),
    _s("upper_zone", "upper lung zone",
       r"upper (?:lung )?(?:zones?|lobes?|fields?|lungs?|regions?)|upper(?:-| )lobe", ("lung",)),
    _s("mid_zone", "mid lung zone",
       r"mid(?:dle)?(?:-| )?(?:lung )?(?:zones?|fields?|lungs?|lobe)|lingula(?:r)?|mid and lower", ("lung",)),
    _s("lower_zone", "lower lung zone",
       r"lower (?:lung )?(?:zones?|lobes?|fields?|lungs?|regions?)|(?:lung )?bases?|basilar|basal|bibasilar|"
       r"bibasal|retrocardiac", ("lung",)),
    _s("hilum", "hilar structures", r"hil(?:um|a|ar|us)|perihilar", ("lung",)),
    _s("pleura", "pleura",
       r"pleura[l]?|effusions?|pneumothora(?:x|ces)|hydropneumothorax|fissures?|pleural thickening",
       ("lung",)),
    _s("upper_mediastinum", "upper mediastinum",
       r"(?:upper|superior) mediastin(?:um|al)|paratracheal|thoracic inlet", ("mediastinum",), paired=False),
    _s("cardiac", "cardiac silhouette",
       r"cardiac silhouette|cardiomediastinal(?: silhouette| contours?)?|heart(?: size| border)?|cardiac|"
       r"cardiomegaly|pericardial|cardiopulmonary", paired=False),
    _s("aorta", "aortic arch", r"aort(?:a|ic)(?: arch| knob)?", ("mediastinum",), paired=False),
    _s("mediastinum", "mediastinum", r"mediastin(?:um|al)|cardiomediastinal|pneumomediastinum", paired=False),
    _s("trachea", "trachea", r"trache(?:a|al)|carina", ("mediastinum",), paired=False),
    _s("spine", "spine", r"(?:thoracic )?spine|spinal|vertebra[el]?|vertebral bod(?:y|ies)|scoliosis|kyphosis",
       paired=False),
    _s("bones", "bones", r"clavicles?|ribs?|scapulae?|humer(?:us|al)|shoulders?|osseous|bony|fractures?"),
    _s("devices", "lines and tubes",
       r"(?:endotracheal|enteric|nasogastric|feeding|chest|tracheostomy|ng|et) tubes?|catheters?|picc|"
       r"central (?:venous )?lines?|pacemakers?|pacer|(?:pacing )?leads?|drains?|support devices",
       paired=False),
    _s("lung", "lung", r"lungs?|hemithora(?:x|ces)|lung fields?|pulmonary|parenchym(?:a|al)|cardiopulmonary|"
       r"airspace|interstitial|interstitium"),
)
BY_KEY: dict[str, Structure] = {s.key: s for s in STRUCTURES}

# Findings say what is wrong, not where; a question naming only a finding ("has the effusion grown?")
# is matched by it.
FINDINGS: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
    for name, pattern in {
        "opacity": r"opacit(?:y|ies)|opacifications?|densit(?:y|ies)|infiltrat(?:e|es|ion)|airspace disease",
        "consolidation": r"consolidat(?:ion|ions|ive)",
        "atelectasis": r"atelecta(?:sis|tic)|collapse",
        "edema": r"edema|oedema|(?:vascular )?congestion|vascular engorgement|interstitial markings",
        "effusion": r"effusions?|pleural fluid",
        "pneumothorax": r"pneumothora(?:x|ces)",
        "pneumonia": r"pneumonia|infection|aspiration",
        "nodule": r"nodul(?:e|es|ar)|mass(?:es)?|lesions?",
        "scarring": r"scar(?:ring|s)?|fibros(?:is|tic)",
        "thickening": r"thickening",
        "cardiomegaly": r"cardiomegaly|enlarge(?:d|ment)",
    }.items()
}
_FINDING_SITE = {"effusion": "pleura", "pneumothorax": "pleura", "thickening": "pleura",
                 "cardiomegaly": "cardiac"}

_LEFT = re.compile(r"\bleft\b|\bl(?:eft)?-sided\b", re.IGNORECASE)
_RIGHT = re.compile(r"\bright\b|\br(?:ight)?-sided\b", re.IGNORECASE)
_BILATERAL = re.compile(r"\b(?:bilateral(?:ly)?|both (?:lungs|sides|bases|apices|hemithoraces|hila)|bibasilar|bibasal|"
                        r"biapical|each side|right and left|left and right)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"\s*(?:[;,:]|\band\b|\bbut\b|\bwhile\b|\bwhereas\b|\bwith\b|\bas well as\b)\s*",
                     re.IGNORECASE)


def _ancestors(key: str) -> set[str]:
    out: set[str] = set()
    todo = list(BY_KEY[key].parents)
    while todo:
        k = todo.pop()
        if k not in out:
            out.add(k)
            todo.extend(BY_KEY[k].parents)
    return out


_ANCESTORS: dict[str, set[str]] = {s.key: _ancestors(s.key) for s in STRUCTURES}
# Neighbours a reader asking about one wants to see too (an effusion blunts the costophrenic angle and
# sits at the base; hilar and mid-zone findings overlap; the heart and mediastinum share a silhouette).
# Directional: a question about the lung base wants the effusion, not the other way round.
_NEIGHBOURS: dict[str, frozenset[str]] = {
    "lower_zone": frozenset({"pleura", "hemidiaphragm"}),
    "costophrenic": frozenset({"hemidiaphragm"}),
    "hemidiaphragm": frozenset({"costophrenic"}),
    "mid_zone": frozenset({"hilum"}),
    "hilum": frozenset({"mid_zone"}),
    "cardiac": frozenset({"mediastinum"}),
    "mediastinum": frozenset({"cardiac"}),
}


def related(asked: str, mentioned: str) -> bool:
    """A clause about `mentioned` bears on a question about `asked`: the same structure, a part of it, the
    whole it belongs to, or a neighbour."""
    return (
        asked == mentioned
        or asked in _ANCESTORS[mentioned]
        or mentioned in _ANCESTORS[asked]
        or mentioned in _NEIGHBOURS.get(asked, frozenset())
    )


@dataclass(frozen=True, slots=True)
class Region:
    """Where a question (or a clause of a report) looks: structures, sides, and findings named."""

    structures: frozenset[str] = frozenset()
    sides: frozenset[Side] = frozenset()  # empty: no side named
    findings: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        side = ""
        if self.sides == BOTH:
            side = "bilateral "
        elif self.sides:
            side = f"{next(iter(self.sides)).value} "
        parts = [BY_KEY[k].label for k in sorted(self.structures, key=_order)] or sorted(self.findings)
        return side + " / ".join(parts) if parts else ""

    def __bool__(self) -> bool:
        return bool(self.structures or self.findings)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "structures": sorted(self.structures, key=_order),
            "sides": sorted(s.value for s in self.sides),
            "findings": sorted(self.findings),
        }


def _order(key: str) -> int:
    return [s.key for s in STRUCTURES].index(key)


def sides_in(text: str) -> frozenset[Side]:
    if _BILATERAL.search(text):
        return BOTH
    out = set()
    if _LEFT.search(text):
        out.add(Side.LEFT)
    if _RIGHT.search(text):
        out.add(Side.RIGHT)
    return frozenset(out)


def find_region(text: str) -> Region:
    """The structures, sides and findings a piece of text names (most specific wording first)."""
    structures = {s.key for s in STRUCTURES if s.pattern.search(text)}
    # "the left lower lung zone" names the lower zone; the lung it belongs to adds nothing.
    structures = {k for k in structures if not any(k in _ANCESTORS[o] for o in structures)}
    findings = frozenset(name for name, pattern in FINDINGS.items() if pattern.search(text))
    return Region(frozenset(structures), sides_in(text), findings)


def _sides_compatible(question: Region, clause: Region, structures: set[str]) -> bool:
    if not question.sides or not clause.sides:
        return True
    if structures and not any(BY_KEY[k].paired for k in structures):
        return True
    return bool(question.sides & clause.sides)


def clause_matches(question: Region, clause_text: str) -> bool:
    clause = find_region(clause_text)
    if question.structures:
        shared = {q for q in question.structures for c in clause.structures if related(q, c)}
        shared |= {q for q in question.structures for f in clause.findings
                   if f in _FINDING_SITE and related(q, _FINDING_SITE[f])}
        if not shared:
            return False
        return _sides_compatible(question, clause, shared)
    if question.findings & clause.findings:
        return _sides_compatible(question, clause, set(clause.structures))
    return False


def split_clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE.split(sentence) if c and c.strip()]


def is_about(sentence: str, region: Region) -> bool:
    """Whether a report sentence bears on the region: some clause names a related structure (or, for a
    finding-only question, the finding) on a compatible side."""
    if not region:
        return False
    if clause_matches(region, sentence) and not (region.sides and sides_in(sentence)):
        return True  # no side anywhere in the sentence: it applies to both sides
    return any(clause_matches(region, c) for c in split_clauses(sentence))


def region_sentences(text: str, region: Region) -> list[str]:
    """The sentences of `text` about `region`, in order, each once."""
    out: list[str] = []
    for sentence in sentences(text):
        s = sentence.strip()
        if s and s not in out and is_about(s, region):
            out.append(s)
    return out

