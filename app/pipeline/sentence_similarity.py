"""The serving encoder's similarity of the question to each sentence of a label: one feature of the extractive
reader's ranking (ReadSettings.sentence_weight; 0 turns it off).

The sentence vectors are made when the index is built (indexing.sentence_vectors, with the split below, so
their keys are the reader's sentences) and memory-mapped from the version directory; the question's vector is
the retriever's, already computed for the search. Per request this costs a hash and a dot product per
sentence of the label: no encoding (+0.26 ms a reader call measured, bench/RESULTS.md).

Off by default: on answers_tune, weight 0.5 changed 15 of 59 answers and no stated fact (its one gain, a
citalopram answer, matched a key-fact pattern through a section heading the sentence kept; the answer without
it said the same), 1.0 and above lost facts; meanwhile every sentence vector costs the build ~25 ms to encode
(about an hour for the shipped corpus on 2 cores) and 404 bytes in each index version.
"""

from __future__ import annotations

import threading
from typing import Protocol

import numpy as np

from app.pipeline.compose import label_sentences
from app.pipeline.retrieve import query_text
from app.pipeline.state import SearchQuery
from indexing.schema import Chunk
from indexing.sentence_vectors import SentenceVectors
from indexing.store import SearchIndex
from indexing.text import tokenize

# Labels whose sentence rows are remembered (a few hundred int64 each).
_ROW_CACHE_LABELS = 2048


class QueryVectors(Protocol):
    """The retriever's query-embedding cache (app.pipeline.retrieve.QueryEmbeddingCache)."""

    def get(self, text: str) -> np.ndarray: ...


def reader_sentence_texts(chunk: Chunk) -> list[str]:
    """The sentences the reader can quote from a chunk: the split and cleaning of its candidate pool
    (ExtractiveReader._pool), which the index build is given to key the sentence vectors by."""
    names = frozenset(tokenize(chunk.title or chunk.medicine_id.replace("-", " ")))
    return [text for _, text in label_sentences(chunk.text, names)]


class SentenceSimilarity:
    """Each index version's sentence vectors, loaded once; the question's similarity to a label's sentences."""

    def __init__(self, weight: float, embeddings: QueryVectors | None) -> None:
        self.weight = weight
        self.embeddings = embeddings
        self._vectors: dict[str, SentenceVectors | None] = {}
        self._lock = threading.Lock()
        self._row_cache: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}

    @property
    def enabled(self) -> bool:
        return self.weight > 0 and self.embeddings is not None

    def vectors(self, index: SearchIndex) -> SentenceVectors | None:
        version = index.version
        if version not in self._vectors:
            with self._lock:
                if version not in self._vectors:
                    # One version at a time is served: an old one's vectors go with it.
                    self._vectors = {version: SentenceVectors.load(index.path)}
                    self._row_cache = {}
        return self._vectors[version]

    def _rows(self, version: str, vectors: SentenceVectors, texts: list[str]) -> np.ndarray:
        """A label's rows, remembered: its sentences come back question after question, and hashing them
        was most of the feature's cost (~0.5 ms a label of 150 sentences)."""
        key = (version, tuple(texts))
        rows = self._row_cache.get(key)
        if rows is None:
            rows = vectors.rows(texts)
            with self._lock:
                if len(self._row_cache) >= _ROW_CACHE_LABELS:
                    self._row_cache.pop(next(iter(self._row_cache)))
                self._row_cache[key] = rows
        return rows

    def scores(self, index: SearchIndex | None, query: SearchQuery, texts: list[str]) -> dict[str, float]:
        """Weighted similarity per sentence text, scaled over the label as the chunk similarity is (the median
        sentence 0, the best `weight`); empty when off, without vectors, or when fewer than two sentences of
        the label have one. A sentence without a vector (a split changed since the build) gets 0."""
        if not self.enabled or index is None or len(texts) < 2:
            return {}
        vectors = self.vectors(index)
        if vectors is None:
            return {}
        assert self.embeddings is not None
        query_vector = self.embeddings.get(query_text(index, query))
        if query_vector.shape[-1] != vectors.dims:
            return {}
        sims = vectors.similarities_of_rows(self._rows(index.version, vectors, texts), query_vector)
        known = sims[~np.isnan(sims)]
        if len(known) < 2:
            return {}
        middle, top = float(np.median(known)), float(known.max())
        if top - middle < 1e-6:
            return {}
        scaled = np.clip((np.nan_to_num(sims, nan=middle) - middle) / (top - middle), 0.0, 1.0) * self.weight
        return {t: float(v) for t, v in zip(texts, scaled, strict=True)}
