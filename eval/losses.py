"""Per-item losses at every k, shared by calibration (eval/calibrate.py) and the selector comparison
(eval/selection.py): the deterministic calibration/test split, an item's judged case, reading one retrieval
at many prefixes of its ranked evidence, and judging every answer."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.enums import Mode
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.state import Evidence, ReadResult, TurnRequest, TurnState
from eval.datasets.consult import ConsultItem
from eval.judges import Case, Judge

log = logging.getLogger(__name__)

PARTS = ("calibration", "test")


# -- the split --------------------------------------------------------------------------------------


def split_key(item: ConsultItem) -> str:
    rows = item.meta.get("rows") if isinstance(item.meta, dict) else None
    if isinstance(rows, list) and rows:
        return "rows:" + ",".join(str(r) for r in sorted(rows, key=str))
    return f"id:{item.id}"


def hash_unit(text: str) -> float:
    digest = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_part(item: ConsultItem, fraction: float = 0.5, seed: int = 0) -> str:
    """'calibration' for a seeded-hash fraction of split keys, else 'test'; the same on every machine."""
    return "calibration" if hash_unit(f"{seed}:{split_key(item)}") < fraction else "test"


def split_items(items: Sequence[ConsultItem], part: str, fraction: float, seed: int) -> list[ConsultItem]:
    if part not in (*PARTS, "all"):
        raise ValueError(f"part must be calibration, test or all, got {part!r}")
    return [it for it in items if part == "all" or split_part(it, fraction, seed) == part]


# -- items and cases --------------------------------------------------------------------------------


def raw_fields(path: Path) -> dict[str, dict[str, Any]]:
    """The optional fields the consultation loader does not keep: `answer` (a reference answer, or the
    letter of the right option) and `options` (multiple choice), by item id."""
    out: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                obj = json.loads(line)
                if isinstance(obj, dict) and ("answer" in obj or "options" in obj):
                    out[str(obj.get("id"))] = {"answer": obj.get("answer"), "options": obj.get("options")}
    return out


def make_case(item: ConsultItem, gold: list[dict[str, Any]], extra: dict[str, Any] | None) -> Case:
    extra = extra or {}
    answer = extra.get("answer") if isinstance(extra.get("answer"), str) else None
    options = extra.get("options") if isinstance(extra.get("options"), dict) else None
    if options is not None and answer is not None and answer.strip().upper() in {k.upper() for k in options}:
        return Case(item.id, item.question, gold, None, {str(k): str(v) for k, v in options.items()},
                    answer.strip().upper())
    return Case(item.id, item.question, gold, answer, None, None)


# -- reading at many k --------------------------------------------------------------------------------


class PrefixReader:
    """Reads one retrieved item at many prefixes of its ranked evidence; evidence[:k] for k beyond the list
    is the whole list, so reads are cached by the prefix's real length."""

    def __init__(self, orchestrator: Orchestrator, got: TurnState) -> None:
        self.orchestrator = orchestrator
        self.got = got
        self._cache: dict[int, ReadResult] = {}

    def at(self, k: int) -> ReadResult:
        m = min(k, len(self.got.evidence))
        if m not in self._cache:
            self._cache[m] = self.orchestrator.read_selected(self.got, self.got.evidence[:m])
        return self._cache[m]

    def of(self, evidence: list[Evidence]) -> ReadResult:
        """A selection that may not be a prefix (score-gap selection)."""
        ev = self.got.evidence
        if len(evidence) <= len(ev) and all(a is b for a, b in zip(evidence, ev, strict=False)):
            return self.at(len(evidence))
        return self.orchestrator.read_selected(self.got, evidence)


@dataclass
class ItemLosses:
    id: str
    part: str
    excluded: str | None = None
    losses: list[int] = field(default_factory=list)
    n_evidence: int = 0
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "part": self.part, "excluded": self.excluded, "n_evidence": self.n_evidence,
               "losses": self.losses, "error": self.error}
        return out | self.extra


def judge_item(
    orchestrator: Orchestrator,
    item: ConsultItem,
    case: Case,
    judge: Judge,
    ks: Sequence[int],
    mode: Mode,
    part: str,
    also: Callable[[PrefixReader, ItemLosses], None] | None = None,
) -> ItemLosses:
    """Retrieve once, read at every k, judge every answer. `also` may read more from the same retrieval
    (the selector comparison does)."""
    rec = ItemLosses(item.id, part)
    reason = judge.exclusion(case)
    if reason is not None:
        rec.excluded = reason
        return rec
    try:
        got = orchestrator.retrieve(TurnRequest(item.question, item.history, mode))
        reader = PrefixReader(orchestrator, got)
        rec.n_evidence = len(got.evidence)
        rec.losses = [judge.loss(case, reader.at(k)) for k in ks]
        if also is not None:
            also(reader, rec)
    except Exception as exc:  # one failing item is reported and left out; the run goes on
        log.warning("item %s failed: %s", item.id, exc)
        rec.excluded, rec.error, rec.losses = "error", f"{type(exc).__name__}: {exc}", []
    return rec
