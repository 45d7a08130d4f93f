"""Selectors: score-gap selection and the calibrated selector's fallback and audit."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.pipeline.calibration import Calibration
from app.pipeline.select import CalibratedSelector, FixedKSelector, GapSelector
from app.pipeline.state import Evidence
from indexing.schema import Chunk


def ev(score: float, query_index: int = 0, rank: int = 0, medicine: str = "m", attribute: str = "dosage") -> Evidence:
    cid = f"{medicine}:{attribute}:{query_index}-{rank}"
    return Evidence(Chunk(cid, medicine, attribute, rank, "text"), score, query_index, rank)


def ranked(scores: list[float], query_index: int = 0) -> list[Evidence]:
    return [ev(s, query_index, r) for r, s in enumerate(scores)]


def calibration(chosen: int | None = 4, version: str = "v1") -> Calibration:
    accepted = (chosen, 5) if chosen is not None else ()
    return Calibration("cal-test", version, 0.1, 0.1, chosen, tuple(range(1, 6)), accepted)


# -- gap ------------------------------------------------------------------------------------------


def test_gap_cuts_at_the_section_tier_drop() -> None:
    # RRF scores of the asked section, then related sections weighted 0.45: log(1 / 0.45) = 0.80 > gamma
    rrf = [2 / 61, 2 / 62, 1 / 61 + 1 / 64, 2 / 65, 1 / 63]
    scores = rrf[:3] + [s * 0.45 for s in rrf[3:]]
    sel = GapSelector(gamma=0.3, k_min=1, k_max=10).select(ranked(scores))
    assert sel.k == 3 and [e.rank for e in sel.evidence] == [0, 1, 2]
    assert sel.audit["mode"] == "gap" and sel.audit["cuts"] == {"0": 3}


def test_gap_without_a_large_gap_keeps_up_to_k_max() -> None:
    scores = [1 / (60 + r) for r in range(1, 30)]  # smooth RRF tail
    assert GapSelector(0.3, 1, 8).select(ranked(scores)).k == 8
    assert GapSelector(0.3, 1, 50).select(ranked(scores)).k == 29


def test_gap_respects_k_min_by_topping_up_in_merged_order() -> None:
    sel = GapSelector(0.3, k_min=3, k_max=10).select(ranked([1.0, 0.1, 0.09, 0.08]))
    assert sel.k == 3 and sel.audit["topped_up"] == 2 and [e.rank for e in sel.evidence] == [0, 1, 2]


def test_gap_is_applied_per_query_on_interleaved_evidence() -> None:
    q0 = ranked([1.0, 0.9, 0.3], 0)  # cut after 2
    q1 = ranked([0.5, 0.49, 0.48, 0.1], 1)  # cut after 3
    merged = [q0[0], q1[0], q0[1], q1[1], q0[2], q1[2], q1[3]]  # as HybridRetriever.run interleaves
    sel = GapSelector(0.3, 1, 10).select(merged)
    assert [(e.query_index, e.rank) for e in sel.evidence] == [(0, 0), (1, 0), (0, 1), (1, 1), (1, 2)]
    assert sel.audit["cuts"] == {"0": 2, "1": 3}
    # the merged list is not monotone (0.5 before 0.9), which is why one global gap rule would misfire
    assert any(a.score < b.score for a, b in itertools.pairwise(merged))


def test_gap_treats_a_non_positive_score_as_the_end_of_a_list() -> None:
    assert GapSelector(0.3, 1, 10).select(ranked([0.5, 0.49, 0.0, 0.4])).k == 2
    assert GapSelector(0.3, 1, 10).select(ranked([0.5, float("nan")])).k == 1
    assert GapSelector(0.3, 1, 10).select([]).k == 0


def test_gap_rejects_bad_settings() -> None:
    with pytest.raises(ValueError):
        GapSelector(0.0)
    with pytest.raises(ValueError):
        GapSelector(0.3, 5, 2)


@settings(max_examples=200, deadline=None)
@given(
    scores=st.lists(st.floats(1e-6, 1.0), min_size=0, max_size=40).map(lambda xs: sorted(xs, reverse=True)),
    gamma=st.floats(0.01, 2.0),
    k_min=st.integers(1, 5),
    extra=st.integers(0, 20),
)
def test_gap_rule_properties(scores: list[float], gamma: float, k_min: int, extra: int) -> None:
    k_max = k_min + extra
    sel = GapSelector(gamma, k_min, k_max).select(ranked(scores))
    n = len(scores)
    assert min(k_min, n) <= sel.k <= min(k_max, n)
    assert [e.rank for e in sel.evidence] == list(range(sel.k))  # one query: always a prefix
    gaps = [math.log(a / b) for a, b in itertools.pairwise(scores)]
    cut = next((i + 1 for i, g in enumerate(gaps) if g > gamma), n)
    assert sel.k == max(min(cut, k_max), min(k_min, n))


# -- calibrated ---------------------------------------------------------------------------------------


def test_calibrated_selector_serves_the_chosen_k_and_audits_it() -> None:
    sel = CalibratedSelector(calibration(4), fallback_k=7, current_version=lambda: "v1").select(ranked([1.0] * 10))
    assert sel.k == 4
    assert sel.audit == {"mode": "calibrated", "calibration_id": "cal-test", "alpha": 0.1, "delta": 0.1, "k": 4,
                         "guarantee": True, "fallback": False}


def test_calibration_without_a_passing_k_falls_back_and_says_so() -> None:
    sel = CalibratedSelector(calibration(None), fallback_k=7).select(ranked([1.0] * 10))
    assert sel.k == 7
    assert sel.audit["guarantee"] is False and sel.audit["fallback"] is True
    assert "no candidate k passed" in sel.audit["reason"] and sel.audit["calibration_id"] == "cal-test"


def test_index_swapped_while_serving_falls_back_with_a_flag() -> None:
    version = {"now": "v1"}
    selector = CalibratedSelector(calibration(4), fallback_k=6, current_version=lambda: version["now"])
    assert selector.select(ranked([1.0] * 10)).k == 4
    version["now"] = "v2"
    sel = selector.select(ranked([1.0] * 10))
    assert sel.k == 6 and sel.audit["guarantee"] is False and "index changed to v2" in sel.audit["reason"]


def test_fixed_selector_unchanged() -> None:
    sel = FixedKSelector(3).select(ranked([1.0] * 5))
    assert sel.k == 3 and sel.audit == {"mode": "fixed", "k_configured": 3}
