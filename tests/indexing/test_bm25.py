from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from rank_bm25 import BM25Okapi

from indexing.bm25 import BM25Index
from indexing.text import tokenize

VOCAB_SIZE = 300


def zipf_corpus(seed: int, n_docs: int = 400) -> list[list[str]]:
    """Synthetic documents whose few most frequent terms occur in more than half of them (negative idf)."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, VOCAB_SIZE + 1) ** 1.1
    weights /= weights.sum()
    return [
        [f"t{i}" for i in rng.choice(VOCAB_SIZE, size=int(rng.integers(0, 60)), p=weights)]
        for _ in range(n_docs)
    ]


LABELS = [
    "Ibuprofen tablets are indicated for relief of the signs and symptoms of rheumatoid arthritis.",
    "Aspirin may increase the risk of bleeding when taken with warfarin or other anticoagulants.",
    "Avoid use of NSAIDs, including ibuprofen, in pregnant women at 30 weeks gestation and later.",
    "Warfarin interactions: drugs that inhibit CYP2C9 may increase the INR. Monitor INR closely.",
    "Metformin is contraindicated in patients with severe renal impairment (eGFR below 30).",
    "The recommended dose of acetaminophen is 650 mg every 4 to 6 hours; do not exceed 3,000 mg a day.",
    "Lactation: aspirin is excreted in human milk. Pregnancy: avoid aspirin in the third trimester.",
    "Common adverse reactions to metformin are diarrhea, nausea, vomiting and flatulence.",
    "5-fluorouracil can cause severe toxicity in patients with DPD deficiency.",
    "Store tablets at 20 to 25 C. Keep out of reach of children.",
]


def reference_top(scores: NDArray[np.float64], k: int) -> list[int]:
    """Positive-score documents, best first, ties to the lower index."""
    docs = np.flatnonzero(scores > 0)
    order = np.lexsort((docs, -scores[docs]))
    return [int(d) for d in docs[order][:k]]


def test_idf_matches_rank_bm25_including_negative_idf_floor() -> None:
    docs = zipf_corpus(seed=1)
    reference = BM25Okapi(docs)
    index = BM25Index.build(docs)
    assert index.average_idf == reference.average_idf
    floored = [term for term in index.terms if index.idf[index.term_id(term)] == reference.average_idf * 0.25]
    assert floored, "corpus should contain terms in more than half of the documents"
    for term in index.terms:
        assert index.idf[index.term_id(term)] == reference.idf[term]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scores_identical_to_rank_bm25_on_zipf_corpus(seed: int) -> None:
    docs = zipf_corpus(seed)
    reference = BM25Okapi(docs)
    index = BM25Index.build(docs)
    rng = np.random.default_rng(seed + 100)
    for _ in range(50):
        # Some ids beyond the vocabulary: unknown tokens; repeats happen too.
        query = [f"t{i}" for i in rng.choice(VOCAB_SIZE + 30, size=int(rng.integers(1, 8)))]
        np.testing.assert_array_equal(index.scores(query), reference.get_scores(query))


def test_scores_match_on_realistic_corpus_with_other_parameters() -> None:
    docs = [tokenize(text) for text in LABELS]
    for k1, b, epsilon in [(1.5, 0.75, 0.25), (1.2, 0.5, 0.1), (2.0, 1.0, 0.5)]:
        reference = BM25Okapi(docs, k1=k1, b=b, epsilon=epsilon)
        index = BM25Index.build(docs, k1=k1, b=b, epsilon=epsilon)
        for question in ["aspirin warfarin bleeding", "Can I take ibuprofen when pregnant?", "metformin"]:
            query = tokenize(question)
            assert np.allclose(index.scores(query), reference.get_scores(query), rtol=1e-12, atol=0)


def test_repeated_query_tokens_count_each_time() -> None:
    index = BM25Index.build([tokenize(text) for text in LABELS])
    once = index.scores(["aspirin"])
    assert once.max() > 0
    np.testing.assert_allclose(index.scores(["aspirin", "aspirin"]), 2 * once)


def test_search_returns_best_first_with_realistic_query() -> None:
    index = BM25Index.build([tokenize(text) for text in LABELS])
    docs, scores = index.search(tokenize("warfarin interaction"), top_k=3)
    assert docs[0] == 3
    assert set(docs.tolist()) == {1, 3}  # only the documents that mention a query term
    assert np.all(np.diff(scores) <= 0)
    assert docs.dtype == np.int64 and scores.dtype == np.float64


def test_property_top10_identical_across_random_queries() -> None:
    docs = zipf_corpus(seed=7, n_docs=600)
    reference = BM25Okapi(docs)
    index = BM25Index.build(docs)
    rng = np.random.default_rng(8)
    for _ in range(300):
        query = [f"t{i}" for i in rng.choice(VOCAB_SIZE + 10, size=int(rng.integers(1, 6)))]
        found, scores = index.search(query, top_k=10)
        expected = reference_top(reference.get_scores(query), 10)
        assert found.tolist() == expected
        np.testing.assert_array_equal(scores, reference.get_scores(query)[expected])


def test_ties_go_to_the_lower_document_index() -> None:
    docs = [["x", "y"], ["a", "b"], ["x", "y"], ["x", "y"], ["c"], ["d"], ["e"], ["f"]]
    index = BM25Index.build(docs)
    found, scores = index.search(["x"], top_k=2)
    assert found.tolist() == [0, 2]
    assert scores[0] == scores[1] > 0


def test_candidates_restrict_the_search() -> None:
    docs = zipf_corpus(seed=3)
    reference = BM25Okapi(docs)
    index = BM25Index.build(docs)
    candidates = np.arange(0, len(docs), 7)
    query = ["t5", "t40", "t41", "t120"]
    found, scores = index.search(query, top_k=10, candidates=candidates[::-1])  # order does not matter
    all_scores = reference.get_scores(query)
    restricted = np.where(np.isin(np.arange(len(docs)), candidates), all_scores, 0.0)
    assert found.tolist() == reference_top(restricted, 10)
    assert set(found.tolist()) <= set(candidates.tolist())
    np.testing.assert_array_equal(scores, all_scores[found])


def test_candidates_edge_cases() -> None:
    index = BM25Index.build([tokenize(text) for text in LABELS])
    found, _ = index.search(["aspirin"], top_k=5, candidates=[])
    assert found.size == 0
    found, _ = index.search(tokenize("aspirin"), top_k=5, candidates=[6, 6, 2])
    assert found.tolist() == [6]
    with pytest.raises(IndexError):
        index.search(["aspirin"], top_k=5, candidates=[len(LABELS)])
    with pytest.raises(IndexError):
        index.search(["aspirin"], top_k=5, candidates=[-1])


def test_empty_and_unknown_queries() -> None:
    index = BM25Index.build([tokenize(text) for text in LABELS])
    for query in ([], ["no-such-token", "zzz"]):
        assert not index.scores(query).any()
        found, scores = index.search(query, top_k=5)
        assert found.size == 0 and scores.size == 0
    assert index.search(["aspirin"], top_k=0)[0].size == 0
    with pytest.raises(TypeError):
        index.scores("aspirin")


def test_fewer_positive_documents_than_top_k() -> None:
    index = BM25Index.build([tokenize(text) for text in LABELS])
    found, scores = index.search(tokenize("metformin"), top_k=10)
    assert sorted(found.tolist()) == [4, 7]
    assert np.all(scores > 0)


def test_empty_documents_and_empty_corpus() -> None:
    index = BM25Index.build([[], ["a"], [], ["b", "a"]])
    assert index.n_docs == 4 and index.vocab_size == 2
    np.testing.assert_array_equal(
        index.scores(["b"]), BM25Okapi([[], ["a"], [], ["b", "a"]]).get_scores(["b"])
    )
    with pytest.raises(ValueError):
        BM25Index.build([])


def test_save_load_round_trip(tmp_path: Path) -> None:
    docs = [*zipf_corpus(seed=4), tokenize("阿司匹林的不良反应有哪些"), tokenize("布洛芬 ibuprofen")]
    index = BM25Index.build(docs, k1=1.2, b=0.7, epsilon=0.3)
    index.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded.to_dict() == index.to_dict()
    assert loaded.terms == index.terms
    assert loaded.n_docs == len(docs) and loaded.vocab_size == index.vocab_size
    for query in (["t1", "t30", "t299"], tokenize("阿司匹林 不良反应"), ["ibuprofen"]):
        np.testing.assert_array_equal(loaded.scores(query), index.scores(query))
        for a, b in zip(loaded.search(query, 10), index.search(query, 10), strict=True):
            np.testing.assert_array_equal(a, b)


def test_matrix_is_a_scipy_csr_array_of_term_scores() -> None:
    docs = zipf_corpus(seed=5, n_docs=50)
    index = BM25Index.build(docs)
    matrix = index.matrix
    assert matrix.shape == (index.vocab_size, index.n_docs)
    query = ["t0", "t3", "t3"]
    rows = [index.term_id(t) for t in query]
    np.testing.assert_allclose(np.asarray(matrix[rows].sum(axis=0)).ravel(), index.scores(query))
