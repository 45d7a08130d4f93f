"""Reciprocal rank fusion (Cormack, Clarke & Buettcher, SIGIR 2009).

score(d) = sum over lists of weight / (RRF_K + rank(d)), rank starting at 1. RRF_K = 60 is the paper's
constant: it damps the head of each list so one retriever's top hit cannot outvote agreement between
lists. Fused scores are positive and comparable across queries of the same shape, which the score-gap
selector relies on.
"""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60


def rrf_fuse(
    rankings: Sequence[Sequence[int]], weights: Sequence[float] | None = None, k: int = RRF_K
) -> list[tuple[int, float]]:
    """Fuse ranked lists of doc ids; returns (doc id, fused score) best first, ties by smaller id."""
    if weights is not None and len(weights) != len(rankings):
        raise ValueError("one weight per ranking is required")
    fused: dict[int, float] = {}
    for i, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[i]
        for rank, doc in enumerate(ranking, start=1):
            fused[doc] = fused.get(doc, 0.0) + w / (k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
