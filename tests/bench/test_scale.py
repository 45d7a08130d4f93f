"""bench/scale.py: the synthetic scale corpora are deterministic, cached, and tokenised like their text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.scale import ScaleCorpus, load_real, scale_corpus, synthetic_name
from indexing.bm25 import BM25Index
from indexing.build import medicine_entries
from indexing.chunk import chunk_medicines
from indexing.dense import DenseConfig, DenseIndex
from indexing.sources.clinqa_jsonl import load_medicines
from indexing.store import SearchIndex
from indexing.text import tokenize

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "medicines_mini.jsonl"


@pytest.fixture(scope="module")
def mini() -> SearchIndex:
    """The mini corpus as an in-memory index, with random unit vectors instead of embeddings."""
    medicines = load_medicines(MINI)
    chunks = chunk_medicines(medicines)
    vectors = np.random.default_rng(0).standard_normal((len(chunks), 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return SearchIndex(
        path=MINI,
        manifest={"version": "mini"},
        chunks=chunks,
        medicines={m.id: m for m in medicine_entries(medicines)},
        bm25=BM25Index.build([tokenize(c.index_text) for c in chunks]),
        dense=DenseIndex.build(vectors, DenseConfig(use_gpu=False)),
    )


def _generate(index: SearchIndex, n: int, directory: Path) -> tuple[ScaleCorpus, np.ndarray]:
    directory.mkdir()
    corpus = scale_corpus(load_real(index, directory), n, directory)
    return corpus, np.asarray(corpus.vectors(directory))


def test_same_seed_same_corpus_and_vectors(mini: SearchIndex, tmp_path: Path) -> None:
    n = 3 * len(mini.chunks) + 5
    a, va = _generate(mini, n, tmp_path / "a")
    b, vb = _generate(mini, n, tmp_path / "b")
    assert a.n == b.n == n
    assert a.docs() == b.docs()
    assert [a.text(i) for i in range(n)] == [b.text(i) for i in range(n)]
    assert np.array_equal(va, vb)
    # Cached: loading again gives the same arrays.
    again = scale_corpus(load_real(mini, tmp_path / "a"), n, tmp_path / "a")
    assert again.docs() == a.docs()
    assert np.array_equal(np.asarray(again.vectors(tmp_path / "a")), va)


def test_synthetic_chunks_are_tokenised_as_their_text(mini: SearchIndex, tmp_path: Path) -> None:
    n = 2 * len(mini.chunks)
    corpus, vectors = _generate(mini, n, tmp_path / "c")
    docs = corpus.docs()
    assert all(docs[i] == tokenize(corpus.text(i)) for i in range(n))
    assert not corpus.synthetic[: len(mini.chunks)].any() and corpus.synthetic[len(mini.chunks) :].all()
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Synthetic vectors are perturbed copies of their template chunk's vector, not equal to it.
    assert mini.dense is not None
    cos = (vectors[len(mini.chunks) :] * mini.dense.vectors[corpus.source[len(mini.chunks) :]]).sum(axis=1)
    assert 0.5 < float(cos.mean()) < 0.999
    # Made-up names replace the real ones: each synthetic chunk's title names its synthetic medicine.
    assert corpus.text(n - 1).startswith(synthetic_name(int(corpus.name_ids[-1])))


def test_below_real_size_is_a_sorted_subset_of_real_chunks(mini: SearchIndex, tmp_path: Path) -> None:
    n = len(mini.chunks) // 2
    corpus, vectors = _generate(mini, n, tmp_path / "d")
    assert not corpus.synthetic.any()
    assert np.all(np.diff(corpus.source) > 0)
    assert corpus.docs() == [tokenize(mini.chunks[r].index_text) for r in corpus.source.tolist()]
    assert mini.dense is not None
    assert np.array_equal(vectors, mini.dense.vectors[corpus.source])


def test_synthetic_names_are_distinct() -> None:
    names = [synthetic_name(k) for k in range(5000)]
    assert len(set(names)) == len(names)
    assert all(len(tokenize(name)) == 1 for name in names[:500])
