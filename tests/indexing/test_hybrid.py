from __future__ import annotations

import pytest

from indexing.hybrid import RRF_K, rrf_fuse


def test_rrf_scores_match_formula() -> None:
    fused = dict(rrf_fuse([[1, 2, 3], [3, 1]]))
    assert fused[1] == pytest.approx(1 / (RRF_K + 1) + 1 / (RRF_K + 2))
    assert fused[3] == pytest.approx(1 / (RRF_K + 3) + 1 / (RRF_K + 1))
    assert fused[2] == pytest.approx(1 / (RRF_K + 2))


def test_agreement_beats_a_single_top_rank() -> None:
    ranked = rrf_fuse([[9, 5], [7, 5]])
    assert ranked[0][0] == 5


def test_weights_and_ties() -> None:
    assert [d for d, _ in rrf_fuse([[1], [2]])] == [1, 2]  # tie -> smaller id first
    assert [d for d, _ in rrf_fuse([[1], [2]], weights=[1.0, 2.0])] == [2, 1]
    with pytest.raises(ValueError):
        rrf_fuse([[1]], weights=[1.0, 2.0])


def test_scores_positive_and_sorted() -> None:
    ranked = rrf_fuse([[4, 3, 2, 1], [1, 2, 3, 4, 5]])
    scores = [s for _, s in ranked]
    assert all(s > 0 for s in scores)
    assert scores == sorted(scores, reverse=True)
