"""Search one patient's records: BM25 + dense over record chunks, fused by RRF.

Each patient has an index of their own, built from the database on first use and rebuilt when the
patient's record revision changes (a record added or deleted, in this process or another), so a new record
is searchable on the next query without any full rebuild. Chunk vectors are cached by text, so a rebuild
only encodes the chunks that are new. A search names one patient and reads only that patient's index:
another patient's record cannot come back, and every hit is checked against the patient id besides.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from app.records.model import Record
from app.records.store import RecordStore
from indexing.bm25 import BM25Index
from indexing.chunk import ChunkingConfig, split_section
from indexing.dense import DenseConfig, DenseIndex
from indexing.embed import Encoder
from indexing.hybrid import rrf_fuse
from indexing.text import tokenize

CHUNKING = ChunkingConfig(max_chars=600, overlap_chars=100)


@dataclass(frozen=True, slots=True)
class RecordChunk:
    record: Record
    position: int
    text: str

    @property
    def index_text(self) -> str:
        return f"{self.record.kind.replace('_', ' ')} {self.record.date}\n{self.text}"


@dataclass(frozen=True, slots=True)
class RecordHit:
    chunk: RecordChunk
    score: float

    @property
    def record(self) -> Record:
        return self.chunk.record


def record_chunks(records: Iterable[Record]) -> list[RecordChunk]:
    out = []
    for r in records:
        for i, piece in enumerate(split_section(r.text, CHUNKING) or [r.text]):
            out.append(RecordChunk(r, i, piece))
    return out


@dataclass
class PatientIndex:
    """One patient's record chunks with their BM25 index and vectors (None when not built or empty)."""

    patient_id: str
    revision: int
    chunks: list[RecordChunk]
    bm25: BM25Index | None
    dense: DenseIndex | None
    tokens: list[frozenset[str]] = field(default_factory=list)  # each chunk's token set

    @property
    def retrieval(self) -> str:
        return "hybrid" if self.dense is not None else "bm25"


class VectorCache:
    """Chunk text -> unit vector, least recently used dropped first."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, encoder: Encoder, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            encoded = encoder.encode(missing)
            with self._lock:
                for t, v in zip(missing, encoded, strict=True):
                    self._vectors[t] = v
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        with self._lock:
            rows = []
            for t in texts:
                vec = self._vectors.get(t)
                if vec is None:  # dropped by a concurrent insert; encode it alone
                    vec = encoder.encode([t])[0]
                self._vectors[t] = vec
                self._vectors.move_to_end(t)
                rows.append(vec)
        return np.vstack(rows).astype(np.float32)


def lexical_ranking(idx: PatientIndex, tokens: list[str], candidates: np.ndarray, bm25_rows: list[int]) -> list[int]:
    """BM25's ranking, then the other chunks sharing a query token (most shared tokens first).

    A patient may have only a few records, and BM25's idf is zero or negative for a term in half or more
    of them (a term in one of two records scores nothing): such matches still count, after BM25's."""
    wanted = set(tokens)
    ranked = set(bm25_rows)
    rest = []
    for row in map(int, candidates):
        if row not in ranked:
            shared = len(wanted & idx.tokens[row])
            if shared:
                rest.append((-shared, row))
    return bm25_rows + [row for _, row in sorted(rest)]


class RecordSearch:
    """Per-patient hybrid search over the records in a RecordStore."""

    def __init__(
        self,
        store: RecordStore,
        encoder: Encoder | None = None,
        rrf_k: int = 60,
        max_patients: int = 256,
    ) -> None:
        self.store = store
        self.encoder = encoder
        self.rrf_k = rrf_k
        self.max_patients = max_patients
        self.vector_cache = VectorCache()
        self._indexes: OrderedDict[str, PatientIndex] = OrderedDict()
        self._lock = threading.Lock()

    def index(self, patient_id: str) -> PatientIndex:
        """The patient's index at the current revision (raises PatientNotFoundError for an unknown id)."""
        revision = self.store.revision(patient_id)
        with self._lock:
            cached = self._indexes.get(patient_id)
            if cached is not None and revision is not None and cached.revision == revision:
                self._indexes.move_to_end(patient_id)
                return cached
        records = self.store.list_records(patient_id)  # raises for an unknown patient
        built = self._build(patient_id, revision or 0, records)
        with self._lock:
            self._indexes[patient_id] = built
            self._indexes.move_to_end(patient_id)
            while len(self._indexes) > self.max_patients:
                self._indexes.popitem(last=False)
        return built

    def _build(self, patient_id: str, revision: int, records: list[Record]) -> PatientIndex:
        chunks = record_chunks(records)
        if not chunks:
            return PatientIndex(patient_id, revision, [], None, None)
        docs = [tokenize(c.index_text) for c in chunks]
        bm25 = BM25Index.build(docs)
        dense = None
        if self.encoder is not None:
            vectors = self.vector_cache.vectors(self.encoder, [c.index_text for c in chunks])
            dense = DenseIndex.build(vectors, DenseConfig(use_gpu=False))
        return PatientIndex(patient_id, revision, chunks, bm25, dense, [frozenset(d) for d in docs])

    def search(
        self, patient_id: str, query: str, top_k: int = 10, kinds: Iterable[str] | None = None
    ) -> list[RecordHit]:
        """The patient's record chunks best matching `query`, best first; only records of `kinds` if given."""
        idx = self.index(patient_id)
        if idx.bm25 is None or not query.strip() or top_k <= 0:
            return []
        allowed = set(kinds) if kinds is not None else None
        candidates = np.array(
            [i for i, c in enumerate(idx.chunks) if allowed is None or c.record.kind in allowed], dtype=np.int64
        )
        if len(candidates) == 0:
            return []
        n = len(candidates)
        tokens = tokenize(query)
        bm25_rows, _ = idx.bm25.search(tokens, n, candidates)
        rankings = [lexical_ranking(idx, tokens, candidates, list(map(int, bm25_rows)))]
        if idx.dense is not None and self.encoder is not None:
            dense_rows, _ = idx.dense.search(self.encoder.encode_query(query), n, candidates)
            rankings.append(list(map(int, dense_rows)))
        hits = [RecordHit(idx.chunks[row], score) for row, score in rrf_fuse(rankings, k=self.rrf_k)]
        hits = [h for h in hits if h.record.patient_id == patient_id]  # never another patient's record
        return hits[:top_k]
