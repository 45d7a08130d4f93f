"""Search one patient's records: BM25 + dense over record chunks, fused by RRF.

Each patient has an index of their own, built from the database on first use and rebuilt when the
patient's record revision changes (a record added or deleted, in this process or another), so a new record
is searchable on the next query without any full rebuild. A search names one patient and reads only that
patient's index: another patient's record cannot come back, and every hit is checked against the patient
id besides.

Under load (issue 15, finding 13: 32 clients asking about the same patients encoded the same records over
and over, memory grew from 1 to 6.8 GB):
- one build per patient revision: a per-patient lock; a request that finds a build running waits for it, or
  answers from the patient's previous revision when there is one;
- incremental: a rebuild reuses the previous revision's chunk tokens and vectors and encodes only new text;
- encoding at import: `clinqa records import` encodes the imported records' chunks into the record vector
  file (`CLINQA_RECORDS__VECTORS_FILE`), which a build reads before encoding anything;
- bounded memory: indexes are kept least recently used first within `CLINQA_RECORDS__CACHE_MB` (an estimate
  of their vectors, chunks and tokens; the record vector file's vectors count against it too), and one build
  encodes at a time.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.records.errors import PatientNotFoundError
from app.records.model import Record
from app.records.store import RecordStore
from indexing.bm25 import BM25Index
from indexing.chunk import ChunkingConfig, split_section
from indexing.dense import DenseConfig, DenseIndex
from indexing.embed import Encoder
from indexing.hybrid import rrf_fuse
from indexing.text import tokenize
from indexing.vector_cache import VectorCache

log = logging.getLogger(__name__)

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
    docs: list[list[str]] = field(default_factory=list)  # each chunk's tokens (BM25's input)
    encoded: int = 0  # chunks this build encoded (not reused from the previous revision or the file)
    _nbytes: int | None = field(default=None, repr=False)

    @property
    def retrieval(self) -> str:
        return "hybrid" if self.dense is not None else "bm25"

    @property
    def nbytes(self) -> int:
        """An estimate of the memory it holds: vectors (ours and FAISS's copy), text, tokens, objects."""
        if self._nbytes is None:
            vectors = 2 * int(self.dense.vectors.nbytes) if self.dense is not None else 0
            records = {c.record.record_id: len(c.record.text) for c in self.chunks}
            text = sum(len(c.text) for c in self.chunks) + sum(records.values())
            tokens = sum(len(d) for d in self.docs)
            self._nbytes = vectors + 2 * text + 120 * tokens + 500 * len(self.chunks)
        return self._nbytes


class RecordVectors:
    """The record vector file written at import (chunk text -> vector, for one model), read by builds.
    Reloaded when the file changes (an import while the server runs); None-safe when there is no file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._cache: VectorCache | None = None
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def current(self, model_id: str) -> VectorCache | None:
        if self.path is None:
            return None
        try:
            st = self.path.stat()
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            if stamp != self._stamp:
                try:
                    self._cache = VectorCache.load(self.path, model_id)
                except (OSError, ValueError, KeyError) as exc:
                    log.warning("cannot read the record vector file %s: %s", self.path, exc)
                    self._cache = None
                self._stamp = stamp
            return self._cache

    @property
    def nbytes(self) -> int:
        cache = self._cache
        return len(cache) * cache.dims * 4 if cache is not None else 0


def encode_record_chunks(encoder: Encoder, records: Iterable[Record], path: Path, batch: int = 2048) -> int:
    """Add the records' chunk vectors that `path` lacks to it (`clinqa records import`); how many were
    encoded. The file is replaced atomically; a server reading it picks the new one up at its next build."""
    texts = list(dict.fromkeys(c.index_text for c in record_chunks(records)))
    cache = VectorCache.load(path, encoder.model_id) if path.is_file() else None
    cache = cache or VectorCache(encoder.model_id, encoder.dims)
    _, missing = cache.lookup(texts)
    todo = [texts[i] for i in missing]
    for i in range(0, len(todo), batch):
        part = todo[i : i + batch]
        cache.add(part, np.asarray(encoder.encode(part), dtype=np.float32))
    if todo or not path.is_file():
        cache.save(path)
    return len(todo)


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
    """Per-patient hybrid search over the records in a RecordStore (see the module docstring)."""

    def __init__(
        self,
        store: RecordStore,
        encoder: Encoder | None = None,
        rrf_k: int = 60,
        max_patients: int = 256,
        cache_mb: float = 512.0,
        vectors_file: Path | None = None,
    ) -> None:
        self.store = store
        self.encoder = encoder
        self.rrf_k = rrf_k
        self.max_patients = max_patients
        self.cache_bytes = int(cache_mb * 2**20)
        self.vector_file = RecordVectors(vectors_file)
        self._indexes: OrderedDict[str, PatientIndex] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # guards _indexes, _bytes, _building and the counters
        self._building: dict[str, threading.Lock] = {}  # patient id -> held while their index is built
        # One build encodes at a time: encoding is CPU-bound (the encoder already uses every core), and each
        # concurrent call holds its own activations (measured: 32 patients' first chats at once, 4 GB RSS).
        self._encoding = threading.Lock()
        self.builds = 0
        self.encoded_chunks = 0
        self.evictions = 0

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"patients": len(self._indexes), "bytes": self._bytes + self.vector_file.nbytes,
                    "builds": self.builds, "encoded_chunks": self.encoded_chunks, "evictions": self.evictions}

    def _cached(self, patient_id: str) -> PatientIndex | None:
        with self._lock:
            cached = self._indexes.get(patient_id)
            if cached is not None:
                self._indexes.move_to_end(patient_id)
            return cached

    def index(self, patient_id: str) -> PatientIndex:
        """The patient's index at the current revision (raises PatientNotFoundError for an unknown id).

        Built once per revision: concurrent callers wait on the patient's lock for the one build, except
        that a caller finding a build under way while an older revision is cached answers from that."""
        revision = self.store.revision(patient_id)
        if revision is None:
            raise PatientNotFoundError(patient_id)
        cached = self._cached(patient_id)
        if cached is not None and cached.revision == revision:
            return cached
        with self._lock:
            lock = self._building.setdefault(patient_id, threading.Lock())
        if not lock.acquire(blocking=cached is None):
            assert cached is not None
            return cached  # being rebuilt: the previous revision for now
        try:
            cached = self._cached(patient_id)
            if cached is not None and cached.revision >= revision:
                return cached  # built while this caller waited
            records = self.store.list_records(patient_id)  # raises for a patient deleted meanwhile
            built = self._build(patient_id, revision, records, previous=cached)
            self._keep(built)
            return built
        finally:
            lock.release()

    def _keep(self, built: PatientIndex) -> None:
        size = built.nbytes
        with self._lock:
            old = self._indexes.pop(built.patient_id, None)
            if old is not None:
                self._bytes -= old.nbytes
            self._indexes[built.patient_id] = built
            self._bytes += size
            self.builds += 1
            self.encoded_chunks += built.encoded
            budget = self.cache_bytes - self.vector_file.nbytes
            while len(self._indexes) > 1 and (self._bytes > budget or len(self._indexes) > self.max_patients):
                _, dropped = self._indexes.popitem(last=False)
                self._bytes -= dropped.nbytes
                self.evictions += 1

    def _build(
        self, patient_id: str, revision: int, records: list[Record], previous: PatientIndex | None = None
    ) -> PatientIndex:
        chunks = record_chunks(records)
        if not chunks:
            return PatientIndex(patient_id, revision, [], None, None)
        texts = [c.index_text for c in chunks]
        known_docs: dict[str, list[str]] = {}
        known_vectors: dict[str, np.ndarray] = {}
        if previous is not None:  # incremental: what the previous revision already tokenized and encoded
            for i, c in enumerate(previous.chunks):
                known_docs[c.index_text] = previous.docs[i]
                if previous.dense is not None:
                    known_vectors[c.index_text] = previous.dense.vectors[i]
        docs = [known_docs.get(t) or tokenize(t) for t in texts]
        bm25 = BM25Index.build(docs)
        dense, encoded = None, 0
        if self.encoder is not None:
            vectors, encoded = self._vectors(texts, known_vectors)
            dense = DenseIndex.build(vectors, DenseConfig(use_gpu=False))
        return PatientIndex(patient_id, revision, chunks, bm25, dense, [frozenset(d) for d in docs], docs, encoded)

    def _vectors(self, texts: list[str], known: dict[str, np.ndarray]) -> tuple[np.ndarray, int]:
        """Vectors for the texts: the previous revision's, then the import-time file's, then encoded."""
        assert self.encoder is not None
        out = np.zeros((len(texts), self.encoder.dims), dtype=np.float32)
        missing = []
        for i, t in enumerate(texts):
            vec = known.get(t)
            if vec is None:
                missing.append(i)
            else:
                out[i] = vec
        stored = self.vector_file.current(self.encoder.model_id) if missing else None
        if stored is not None:
            found, still = stored.lookup([texts[i] for i in missing])
            for j, i in enumerate(missing):
                out[i] = found[j]
            missing = [missing[j] for j in still]
        unique = list(dict.fromkeys(texts[i] for i in missing))
        if unique:
            with self._encoding:
                vectors = np.asarray(self.encoder.encode(unique), dtype=np.float32)
            encoded = dict(zip(unique, vectors, strict=True))
            for i in missing:
                out[i] = encoded[texts[i]]
        return out, len(unique)

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
