"""A tablet or capsule found loose and described by its look, no medicine named ("a capsule fell out of dad's pill
organiser, light blue and white with R150 on it. Which one is that?"): the labels that describe that imprint.

Carers sorting pill organisers, a parent finding a tablet in a teenager's pocket, a home help finding one on the
carpet: each asks what it is by what is printed on it. A label's forms section ("HOW SUPPLIED") says it: "white
opaque body imprinted in black with "R150"", "debossed "EP" above bisect and "905" below bisect". The imprint's parts
as said ("EP 905", "RD 71", "r150") are matched as whole marks in the forms, description and storage sections of every
label; the answer lists the products whose description carries every part, each with that description quoted and
cited, and says that only a pharmacist can confirm a loose tablet. With none, it says no label describes that
marking (status no_evidence) rather than quoting a label the marking does not match.

The distiller names no medicine for such a turn; the stage runs after selection, answers the turn itself, and the
reader is skipped (as for app.pipeline.indication_search).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from app.enums import Status
from app.pipeline.compose import label_sentences
from app.pipeline.state import Citation, Evidence, ReadResult, Selection, TurnState
from indexing.schema import Chunk
from indexing.store import SearchIndex
from indexing.vocabulary import has_cjk

_SECTIONS = ("dosage_forms", "description", "storage")
MAX_PRODUCTS = 4

_PILL = re.compile(r"\b(?:tablets?|pills?|capsules?|caplets?|tabs?)\b|药片|药丸|胶囊|片剂|藥片|膠囊", re.I)
# What is printed on it, as people say it: "with R150 on it", "stamped RD 71", "EP above the line and 905 below",
# "刻着", "印着"
_MARKED = re.compile(r"\b(?:on (?:it|them|one side|the other(?: side)?|the back|the front|both sides)|stamped|"
                     r"marked|printed|imprint\w*|engraved|debossed|embossed|written|says|letters?|numbers?|"
                     r"above the line|below the line)\b|刻着|刻有|印着|印有|写着|寫著|上面有", re.I)
# An imprint's parts: letters with digits ("R150", "M 30"), a letter code beside a number ("EP" ... "905"), a number of
# two or more digits; not a dose, a time, an age or a date
_PART = re.compile(r"(?<![\w.])(?:[A-Z]{1,3} \d{1,4}|[A-Za-z]{1,3}-?\d{1,4}|\d{1,4}-?[A-Za-z]{1,3}|\d{2,4}|"
                   r"[A-Z]{2,5}|\d)(?!\w|\.\d|%)")
_CLAUSE = re.compile(r"[.;?!]\s+|,\s+|\s+(?:but|and then|so)\s+")
_NOT_A_MARK = re.compile(r"^(?:\d+(?:mg|mcg|ml|g|am|pm|h|hrs?|yo|kg|lbs?|st|nd|rd|th|s))$|^(?:19|20)\d\d$", re.I)
_UNIT_AFTER = re.compile(r"\s*(?:mg|mcg|micrograms?|ml|g\b|grams?|units?|years?|yrs?|months?|weeks?|days?|hours?|"
                         r"hrs?|mins?|minutes?|am\b|pm\b|o'?clock|%|kg|lbs?|tablets?|pills?|capsules?|of\b)", re.I)
_WORDS_NOT_MARKS = frozenset({"ok", "am", "pm", "it", "is", "on", "up", "me", "my", "an", "or", "if", "so", "to", "do",
                              "he", "we", "us", "no", "in", "at", "by", "of", "the", "and", "gp", "er", "xl", "sr",
                              "cr", "mr", "dr", "otc", "nhs", "uk", "usa", "tv", "pa", "mom", "mum", "dad"})


@dataclass(frozen=True, slots=True)
class Imprint:
    """The parts of a marking a question describes ("EP", "905")."""

    parts: tuple[str, ...]
    said: str = ""  # the marking as the question wrote it ("RD 71")


def imprint_asked(question: str) -> Imprint | None:
    """The imprint a question describes a loose tablet or capsule by, or None."""
    if _PILL.search(question) is None or _MARKED.search(question) is None:
        return None
    letters = [ch for ch in question if ch.isalpha() and ch.isascii()]
    shouted = len(letters) > 20 and sum(ch.isupper() for ch in letters) > len(letters) / 2
    parts: list[str] = []
    said: list[str] = []
    # (only the clauses that speak of the tablet or its marks: "she is 81" gives no part)
    for clause in _CLAUSE.split(question):
        if _PILL.search(clause) is None and _MARKED.search(clause) is None:
            continue
        for match in _PART.finditer(clause):
            part = match.group(0)
            if part.casefold() in _WORDS_NOT_MARKS or _NOT_A_MARK.match(part) or _UNIT_AFTER.match(clause,
                                                                                                     match.end()):
                continue
            if part.isalpha() and (not part.isupper() or shouted):
                continue  # an ordinary word, not letters printed on a tablet ("WHAT IS THIS" shouted)
            parts.append(part.replace("-", "").replace(" ", "").upper())
            said.append(part)
    # a single digit ("1 on the back") says little alone: an imprint needs a part of two characters or more
    if not any(len(p) >= 2 and any(ch.isdigit() for ch in p) for p in parts):
        return None
    return Imprint(tuple(dict.fromkeys(parts)), " ".join(dict.fromkeys(said)))


def _part_pattern(part: str) -> re.Pattern[str]:
    # "R150" matches "R150", "R 150" and "R-150"; "RD71" matches "“ RD ” and “ 71 ”" part by part elsewhere
    pieces = re.findall(r"[A-Z]+|\d+", part)
    joiner = r"[\s\-“”\"']{0,4}(?:and[\s“”\"']{1,4})?"  # "R150", "R 150", "“ RD ” and “ 71 ”"
    return re.compile(r"(?<![A-Za-z0-9])" + joiner.join(pieces) + r"(?![A-Za-z0-9])")


def _segments(sentence: str) -> list[str]:
    """A run-on description cut where one product's description starts ("... plain on the other side Morphine sulfate
    extended-release tablets 30 mg Round, purple-colored ..."), each short head kept with what follows it."""
    if len(_STRENGTH.findall(sentence)) < 2:
        return [sentence]  # one product's description: whole
    pieces = re.split(r"(?<=[a-z”\")])\s+(?=[A-Z][a-z])", sentence)
    out: list[str] = []
    for piece in pieces:
        if out and len(out[-1]) < 80 and not out[-1].endswith("."):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


_STRENGTH = re.compile(r"\b\d+(?:\.\d+)? ?(?:mg|mcg)\b", re.I)


@dataclass(frozen=True, slots=True)
class Match:
    chunk: Chunk
    quote: str
    name: str


class ImprintSearch:
    """The stage: for a turn naming no medicine that describes a tablet or capsule by its imprint, the labels whose
    descriptions carry every part of it."""

    name = "imprint_search"

    def __init__(self, max_products: int = MAX_PRODUCTS) -> None:
        self.max_products = max_products
        self._rows: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def to_dict(self) -> dict[str, Any]:
        return {"max_products": self.max_products}

    def run(self, state: TurnState) -> None:
        if state.reading is not None or state.distilled.clarify or state.distilled.indication_search or any(
                q.medicine for q in state.distilled.queries):
            return
        imprint = imprint_asked(state.question)
        if imprint is None:
            return
        found = self.search(state.index, imprint)
        state.reading = self.answer(imprint, found, has_cjk(state.question))
        state.reading.reader = "imprint_search"
        cited = [Evidence(m.chunk, 1.0 / (1 + i), 0, i) for i, m in enumerate(found)]
        state.evidence = cited + state.evidence
        state.selection = Selection(cited, len(cited), {"mode": "imprint_search", "imprint": list(imprint.parts)})

    def _description_rows(self, index: SearchIndex) -> list[int]:
        with self._lock:
            rows = self._rows.get(index.version)
            if rows is None:
                rows = [i for i, c in enumerate(index.chunks) if c.attribute in _SECTIONS]
                self._rows = {index.version: rows}  # one index version at a time
            return rows

    def search(self, index: SearchIndex, imprint: Imprint) -> list[Match]:
        patterns = [_part_pattern(p) for p in imprint.parts]
        longest = max(patterns, key=lambda p: len(p.pattern))
        found: dict[str, Match] = {}
        for row in self._description_rows(index):
            chunk = index.chunks[row]
            if chunk.medicine_id in found or longest.search(chunk.text) is None:
                continue
            if not all(p.search(chunk.text) for p in patterns):
                continue
            quote = self._quote(chunk, patterns)
            if quote:
                entry = index.medicines.get(chunk.medicine_id)
                found[chunk.medicine_id] = Match(chunk, quote, entry.name if entry else chunk.medicine_id)
            if len(found) >= self.max_products:
                break
        return list(found.values())

    @staticmethod
    def _quote(chunk: Chunk, patterns: list[re.Pattern[str]]) -> str:
        """The chunk's sentence (or a run-on's product description) that carries every part of the imprint."""
        whole = [s for _, s in label_sentences(chunk.text)]
        for sentence in whole:
            if all(p.search(sentence) for p in patterns):
                # (one product's description of a sentence that runs several together)
                return next((seg.rstrip(" .") + "." for seg in _segments(sentence)
                             if all(p.search(seg) for p in patterns)), sentence)
        for raw in re.split(r"(?<=\.)\s+(?=[A-Z•])", chunk.text):
            for segment in _segments(raw.strip(" •")):
                if all(p.search(segment) for p in patterns) and len(segment) <= 420:
                    return segment.rstrip(" .") + "."
        return ""

    @staticmethod
    def answer(imprint: Imprint, found: list[Match], zh: bool) -> ReadResult:
        mark = imprint.said or " ".join(imprint.parts)
        audit: dict[str, Any] = {"imprint": list(imprint.parts), "products": len(found)}
        if not found:
            text = (f"数据库中没有说明书描述印有“{mark}”的药片或胶囊。散落的药片请交给药师辨认，"
                    "在弄清之前不要服用。" if zh else
                    f"No label in the database describes a tablet or capsule marked \"{mark}\". A pharmacist can "
                    "identify a loose tablet from its markings; do not take it until then.")
            return ReadResult(text, [], Status.NO_EVIDENCE, audit=audit)
        listed = ("、" if zh else ", ").join(f"{m.name} [{n}]" for n, m in enumerate(found, 1))
        head = (f"数据库中说明书描述的印有“{mark}”的药品：{listed}。" if zh else
                f"Labels in the database that describe a tablet or capsule marked \"{mark}\": {listed}.")
        lines = [head, *(f"[{n}] {m.name}: \"{m.quote}\"" for n, m in enumerate(found, 1))]
        lines.append("药片的外观只能帮助初步辨认，请让药师核实后再服用。" if zh else
                     "A marking only suggests what a loose tablet is: ask a pharmacist to confirm it before anyone "
                     "takes it.")
        citations = [Citation(m.chunk.medicine_id, m.chunk.attribute, m.chunk.chunk_id, m.quote, n)
                     for n, m in enumerate(found, 1)]
        return ReadResult("\n".join(lines), citations, Status.ANSWERED, audit=audit)
