"""DenseIndex: exact below the ANN threshold, HNSW or IVF above it; saved ANN indexes load as saved."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexing.dense import DenseConfig, DenseIndex


def _unit_vectors(n: int, d: int = 32, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _exact_top(vectors: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    scores = vectors @ query
    return [int(i) for i in np.lexsort((np.arange(len(scores)), -scores))[:k]]


def test_below_threshold_is_exact_flat() -> None:
    vectors = _unit_vectors(500)
    index = DenseIndex.build(vectors, DenseConfig(use_gpu=False))
    assert index.kind == "flat"
    query = vectors[7]
    ids, scores = index.search(query, 5)
    assert ids.tolist() == _exact_top(vectors, query, 5)
    assert scores[0] == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_ann_kind_above_threshold_round_trips(kind: str, tmp_path: Path) -> None:
    vectors = _unit_vectors(2000)
    config = DenseConfig(ann_threshold=1000, ann_kind=kind, ivf_nprobe=8, ef_search=32, use_gpu=False)  # type: ignore[arg-type]
    index = DenseIndex.build(vectors, config)
    assert index.kind == kind
    index.save(tmp_path)
    assert (tmp_path / "dense.faiss").is_file()

    # The search setting comes from the config it is loaded with, the structure from the file.
    wider = DenseConfig(ann_threshold=1000, ann_kind=kind, ivf_nprobe=10_000, ef_search=2000, use_gpu=False)  # type: ignore[arg-type]
    loaded = DenseIndex.load(tmp_path, wider)
    assert loaded.kind == kind
    for row in (0, 123, 1999):
        ids, _ = loaded.search(vectors[row], 10)
        assert ids.tolist() == _exact_top(vectors, vectors[row], 10)  # exhaustive setting: exact


def test_ivf_lists_scale_with_size() -> None:
    config = DenseConfig()
    assert config.nlist_for(1_000_000) == 4096
    assert config.nlist_for(200_000) == 2048
    assert DenseConfig(ivf_nlist=100).nlist_for(1_000_000) == 100


def test_ivf_index_has_the_configured_lists() -> None:
    vectors = _unit_vectors(3000)
    index = DenseIndex.build(vectors, DenseConfig(ann_threshold=1000, ann_kind="ivf", use_gpu=False))
    assert index.index.nlist == DenseConfig().nlist_for(3000)
    assert index.index.nprobe == DenseConfig().ivf_nprobe


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_candidate_search_is_exact_for_ann_kinds(kind: str) -> None:
    vectors = _unit_vectors(1500)
    index = DenseIndex.build(vectors, DenseConfig(ann_threshold=1000, ann_kind=kind, use_gpu=False))  # type: ignore[arg-type]
    candidates = np.arange(100, 1500, 7, dtype=np.int64)
    ids, scores = index.search(vectors[3], 5, candidates)
    pool = vectors[candidates] @ vectors[3]
    assert ids.tolist() == candidates[np.argsort(-pool, kind="stable")[:5]].tolist()
    assert scores.tolist() == pytest.approx(np.sort(pool)[::-1][:5].tolist(), abs=1e-6)


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown ANN kind"):
        DenseConfig(ann_kind="lsh")  # type: ignore[arg-type]


def test_default_ann_is_ivf_from_50k() -> None:
    config = DenseConfig()
    assert (config.ann_kind, config.ann_threshold, config.ivf_nprobe) == ("ivf", 50_000, 128)
