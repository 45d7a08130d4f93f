"""BM25 over pre-tokenised documents, score-for-score the same as rank_bm25.BM25Okapi (0.2.2).

The index is a CSR term x document matrix (scipy.sparse layout) whose entries are the finished per-term,
per-document scores, idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)), as bm25s does; a query only
reads the rows of its own terms. rank-bm25's choices are kept on purpose, so its scores can serve as the
reference in tests:
- idf = log(N - n + 0.5) - log(n + 0.5), in Python floats, term by term;
- a term with negative idf (in more than half the documents) gets epsilon * average idf instead, where the
  average is over all terms *before* that replacement (negative values included); a term with idf exactly
  0 (in exactly half) keeps 0;
- a query term counts once per occurrence in the query; a term the index does not know adds nothing.
Scores are float64 and added term by term in query order, as rank-bm25 does, so they are bit-identical.
"""

from __future__ import annotations

import json
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import scipy.sparse
from numpy.typing import NDArray

FORMAT_VERSION = 1
MATRIX_FILE = "bm25.npz"
VOCAB_FILE = "bm25_vocab.json"


@dataclass(eq=False)
class BM25Index:
    """A built BM25 index; build with `BM25Index.build`, or `BM25Index.load` one saved with `save`.

    Row t of the matrix holds term `terms[t]`: `indptr[t]:indptr[t+1]` slices `indices` (document numbers,
    ascending) and `data` (that term's score in each of those documents).
    """

    terms: list[str]
    indptr: NDArray[np.int64]
    indices: NDArray[np.int32]
    data: NDArray[np.float64]
    idf: NDArray[np.float64]
    doc_len: NDArray[np.int64]
    k1: float
    b: float
    epsilon: float
    avgdl: float
    average_idf: float
    _term_ids: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._term_ids = {term: i for i, term in enumerate(self.terms)}

    @classmethod
    def build(
        cls, docs: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25
    ) -> BM25Index:
        """Index `docs` (token lists); document i of the index is docs[i]."""
        n_docs = len(docs)
        if n_docs == 0:
            raise ValueError("cannot build a BM25 index over no documents")
        term_ids: dict[str, int] = {}
        rows = array("q")  # term id of each (term, document) pair, documents in order
        cols = array("q")
        freqs = array("q")
        doc_len = np.empty(n_docs, dtype=np.int64)
        for doc_no, doc in enumerate(docs):
            doc_len[doc_no] = len(doc)
            # Counter keeps first-occurrence order, so term ids follow rank-bm25's dict order, which the
            # average idf's summation order depends on.
            for term, count in Counter(doc).items():
                rows.append(term_ids.setdefault(term, len(term_ids)))
                cols.append(doc_no)
                freqs.append(count)

        avgdl = int(doc_len.sum()) / n_docs
        row = np.frombuffer(rows, dtype=np.int64)
        col = np.frombuffer(cols, dtype=np.int64)
        tf = np.frombuffer(freqs, dtype=np.int64)
        doc_freq = np.bincount(row, minlength=len(term_ids))
        idf, average_idf = _okapi_idf(doc_freq.tolist(), n_docs, epsilon)

        # Same operations in the same order as rank_bm25.BM25Okapi.get_scores, elementwise.
        length_norm = k1 * (1 - b + b * doc_len / avgdl) if avgdl > 0 else np.zeros(n_docs)
        data = idf[row] * (tf * (k1 + 1) / (tf + length_norm[col]))

        order = np.argsort(row, kind="stable")  # rows grouped, documents stay ascending within a row
        indptr = np.zeros(len(term_ids) + 1, dtype=np.int64)
        np.cumsum(doc_freq, out=indptr[1:])
        return cls(
            terms=list(term_ids),
            indptr=indptr,
            indices=col[order].astype(np.int32),
            data=data[order],
            idf=idf,
            doc_len=doc_len,
            k1=k1,
            b=b,
            epsilon=epsilon,
            avgdl=avgdl,
            average_idf=average_idf,
        )

    @property
    def n_docs(self) -> int:
        return len(self.doc_len)

    @property
    def vocab_size(self) -> int:
        return len(self.terms)

    @property
    def matrix(self) -> Any:
        """The term x document score matrix as a scipy.sparse.csr_array (shares memory with the index)."""
        return scipy.sparse.csr_array(
            (self.data, self.indices, self.indptr), shape=(self.vocab_size, self.n_docs)
        )

    def term_id(self, term: str) -> int | None:
        return self._term_ids.get(term)

    def doc_freq(self, term: str) -> int:
        """Number of documents containing the term (0 when unknown)."""
        t = self._term_ids.get(term)
        return 0 if t is None else int(self.indptr[t + 1] - self.indptr[t])

    def scores(self, query_tokens: Iterable[str]) -> NDArray[np.float64]:
        """BM25 score of every document (0 where no query term occurs)."""
        rows = [slice(self.indptr[t], self.indptr[t + 1]) for t in self._known_terms(query_tokens)]
        if not rows:
            return np.zeros(self.n_docs, dtype=np.float64)
        # bincount adds the weights one by one in the order given, i.e. query order, starting from 0.0:
        # the same float64 sums rank-bm25 forms.
        docs = np.concatenate([self.indices[row] for row in rows])
        weights = np.concatenate([self.data[row] for row in rows])
        return cast(NDArray[np.float64], np.bincount(docs, weights=weights, minlength=self.n_docs))

    def _known_terms(self, query_tokens: Iterable[str]) -> list[int]:
        """Term ids of the query's tokens, repeats kept, unknown tokens left out."""
        if isinstance(query_tokens, str):
            raise TypeError("pass the query as tokens (indexing.text.tokenize), not as a string")
        ids = map(self._term_ids.get, query_tokens)
        return [term for term in ids if term is not None]

    def search(
        self,
        query_tokens: Iterable[str],
        top_k: int,
        candidates: NDArray[np.integer[Any]] | Sequence[int] | None = None,
    ) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """The best `top_k` documents (indices, scores), best first, ties to the lower document index.

        Only documents with a positive score are returned, so fewer than `top_k` may come back (none for
        an empty or all-unknown query). `candidates` limits the search to those document indices (e.g. the
        chunks of one medicine); idf and lengths stay those of the whole index.
        """
        if top_k <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        scores = self.scores(query_tokens)
        if candidates is None:
            docs = np.flatnonzero(scores > 0)
        else:
            pool = self._check_candidates(candidates)
            docs = pool[scores[pool] > 0]
        values = scores[docs]
        if len(docs) > top_k:
            kth_best = values[np.argpartition(-values, top_k - 1)[top_k - 1]]
            keep = values >= kth_best  # all ties at the cut stay in, so the index tie-break is exact
            docs, values = docs[keep], values[keep]
        order = np.lexsort((docs, -values))[:top_k]
        return docs[order].astype(np.int64), values[order]

    def _check_candidates(self, candidates: NDArray[np.integer[Any]] | Sequence[int]) -> NDArray[np.int64]:
        pool = np.asarray(candidates, dtype=np.int64).ravel()
        if pool.size == 0:
            return pool
        if pool.min() < 0 or pool.max() >= self.n_docs:
            raise IndexError(f"candidate document index out of range 0..{self.n_docs - 1}")
        if pool.size > 1 and not bool(np.all(pool[1:] > pool[:-1])):
            pool = np.unique(pool)
        return pool

    def to_dict(self) -> dict[str, Any]:
        """Parameters and size, for manifests and audit records."""
        return {
            "k1": self.k1,
            "b": self.b,
            "epsilon": self.epsilon,
            "n_docs": self.n_docs,
            "vocab_size": self.vocab_size,
            "avgdl": self.avgdl,
            "average_idf": self.average_idf,
        }

    def save(self, directory: Path) -> None:
        """Write `bm25.npz` (arrays, uncompressed so loading is a plain read) and `bm25_vocab.json`."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez(
            directory / MATRIX_FILE,
            indptr=self.indptr,
            indices=self.indices,
            data=self.data,
            idf=self.idf,
            doc_len=self.doc_len,
        )
        meta = {"format_version": FORMAT_VERSION, **self.to_dict(), "terms": self.terms}
        (directory / VOCAB_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        meta = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{directory / VOCAB_FILE}: unsupported format {meta.get('format_version')!r}")
        with np.load(directory / MATRIX_FILE, allow_pickle=False) as arrays:
            index = cls(
                terms=list(meta["terms"]),
                indptr=arrays["indptr"].astype(np.int64, copy=False),
                indices=arrays["indices"].astype(np.int32, copy=False),
                data=arrays["data"].astype(np.float64, copy=False),
                idf=arrays["idf"].astype(np.float64, copy=False),
                doc_len=arrays["doc_len"].astype(np.int64, copy=False),
                k1=float(meta["k1"]),
                b=float(meta["b"]),
                epsilon=float(meta["epsilon"]),
                avgdl=float(meta["avgdl"]),
                average_idf=float(meta["average_idf"]),
            )
        if len(index.indptr) != index.vocab_size + 1 or index.indptr[-1] != len(index.data):
            raise ValueError(f"{directory}: BM25 arrays and vocabulary do not match")
        return index


def _okapi_idf(doc_freq: list[int], n_docs: int, epsilon: float) -> tuple[NDArray[np.float64], float]:
    """rank-bm25's idf with its floor for negative values; returns (idf per term, average before flooring)."""
    idf = [math.log(n_docs - n + 0.5) - math.log(n + 0.5) for n in doc_freq]
    idf_sum = 0.0
    for value in idf:  # summed one by one, in term order, as rank-bm25 does
        idf_sum += value
    average_idf = idf_sum / len(idf) if idf else 0.0
    floor = epsilon * average_idf
    return np.array([floor if value < 0 else value for value in idf], dtype=np.float64), average_idf
