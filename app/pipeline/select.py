"""Select how many ranked evidence pieces the reader sees."""

from __future__ import annotations

import logging
import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from app.pipeline.calibration import Calibration
from app.pipeline.state import Evidence, Selection, TurnState

log = logging.getLogger(__name__)


class Selector(ABC):
    """The select stage: the first k of the ranked evidence, k decided by `select`."""

    name = "select"

    @abstractmethod
    def select(self, evidence: list[Evidence]) -> Selection: ...

    def run(self, state: TurnState) -> None:
        state.selection = self.select(state.evidence)


class FixedKSelector(Selector):
    mode = "fixed"

    def __init__(self, k: int = 5) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self.k = k

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "k": self.k}

    def select(self, evidence: list[Evidence]) -> Selection:
        chosen = evidence[: self.k]
        return Selection(chosen, len(chosen), {"mode": self.mode, "k_configured": self.k})


class CalibratedSelector(Selector):
    """First k, with k chosen by `clinqa calibrate` (Learn-then-Test: risk(k) <= alpha with probability at
    least 1 - delta over calibration sets). When no k passed the test, or the serving index is no longer
    the one calibrated on (rebuilt while serving), the configured fallback k serves and the audit says
    there is no guarantee."""

    mode = "calibrated"

    def __init__(
        self,
        calibration: Calibration,
        fallback_k: int = 5,
        current_version: Callable[[], str | None] | None = None,
    ) -> None:
        if fallback_k < 1:
            raise ValueError("fallback_k must be at least 1")
        self.calibration = calibration
        self.fallback_k = fallback_k
        self.current_version = current_version
        self._warned = False

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "fallback_k": self.fallback_k, **self.calibration.summary()}

    def select(self, evidence: list[Evidence]) -> Selection:
        cal = self.calibration
        audit: dict[str, Any] = {
            "mode": self.mode,
            "calibration_id": cal.calibration_id,
            "alpha": cal.alpha,
            "delta": cal.delta,
        }
        version = self.current_version() if self.current_version is not None else cal.index_version
        if version != cal.index_version:
            if not self._warned:
                log.error("calibration %s is for index %s, now serving %s: fixed k=%d until re-calibrated",
                          cal.calibration_id, cal.index_version, version, self.fallback_k)
                self._warned = True
            k, reason = self.fallback_k, f"index changed to {version} (calibrated on {cal.index_version})"
        elif cal.chosen_k is None:
            k, reason = self.fallback_k, "no candidate k passed the risk test at calibration"
        else:
            k, reason = cal.chosen_k, ""
        audit |= {"k": k, "guarantee": not reason, "fallback": bool(reason)}
        if reason:
            audit["reason"] = reason
        chosen = evidence[:k]
        return Selection(chosen, len(chosen), audit)


class GapSelector(Selector):
    """Score-gap selection (MMed-RAG style): keep ranked evidence up to the first position i where
    log(s_i / s_{i+1}) > gamma, then clamp the count to [k_min, k_max].

    The score is the retriever's final evidence score: the RRF-fused score (positive) times the section-tier
    weight of the chunk for the asked attribute (app/pipeline/retrieve.py). Several queries are interleaved
    by rank, so the merged list is not sorted by score; the rule is applied to each query's own ranked
    list (sorted, and on one query's scale), and the merged order is kept for what survives. A non-positive
    or non-finite score ends a list (an infinite gap). Fewer than k_min survivors are topped up in merged
    order; more than k_max are cut in merged order."""

    mode = "gap"

    def __init__(self, gamma: float = 0.3, k_min: int = 1, k_max: int = 10) -> None:
        if not gamma > 0:
            raise ValueError("gamma must be positive")
        if k_min < 1 or k_max < k_min:
            raise ValueError("need 1 <= k_min <= k_max")
        self.gamma = gamma
        self.k_min = k_min
        self.k_max = k_max

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "gamma": self.gamma, "k_min": self.k_min, "k_max": self.k_max}

    def cut(self, scores: list[float]) -> int:
        """How many of a descending score list come before the first gap larger than gamma."""
        for i, s in enumerate(scores):
            if not (math.isfinite(s) and s > 0):
                return i
            if i + 1 < len(scores):
                nxt = scores[i + 1]
                if not (math.isfinite(nxt) and nxt > 0) or math.log(s / nxt) > self.gamma:
                    return i + 1
        return len(scores)

    def select(self, evidence: list[Evidence]) -> Selection:
        per_query: dict[int, list[int]] = {}
        for pos, e in enumerate(evidence):
            per_query.setdefault(e.query_index, []).append(pos)
        keep: set[int] = set()
        cuts: dict[str, int] = {}
        for qi, positions in sorted(per_query.items()):
            ordered = sorted(positions, key=lambda p: evidence[p].rank)
            n = self.cut([evidence[p].score for p in ordered])
            cuts[str(qi)] = n
            keep.update(ordered[:n])
        chosen = [pos for pos in range(len(evidence)) if pos in keep]
        topped = 0
        for pos in range(len(evidence)):
            if len(chosen) >= self.k_min:
                break
            if pos not in keep:
                chosen.append(pos)
                topped += 1
        chosen.sort()
        chosen = chosen[: self.k_max]
        audit = {"mode": self.mode, "gamma": self.gamma, "k_min": self.k_min, "k_max": self.k_max,
                 "cuts": cuts, "topped_up": topped, "k": len(chosen)}
        return Selection([evidence[p] for p in chosen], len(chosen), audit)
