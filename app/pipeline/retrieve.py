"""Retrieve: hybrid BM25 + dense search per query, fused by RRF, restricted to the query's medicine
and boosted towards its attribute; results of several queries are interleaved."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from app.config import RetrieveSettings
from app.pipeline.attributes import RELATED_ATTRIBUTES
from app.pipeline.retrieve_safety import WHETHER_ASKS, safety_rows
from app.pipeline.state import Evidence, SearchQuery, TurnState
from indexing.embed import Encoder
from indexing.hybrid import rrf_fuse
from indexing.schema import ATTRIBUTES, Attribute
from indexing.store import SearchIndex
from indexing.text import tokenize
from indexing.vocabulary import text_lang

# Weight of a chunk's fused score by how its section relates to the asked attribute. The asked section
# comes first whenever the label has it; related sections (warnings for side effects) before the rest.
TIER_WEIGHTS = (1.0, 0.45, 0.2)
# A contraindication or boxed-warning passage naming the user's condition or the other medicine, for a question of
# whether to take it (app.pipeline.retrieve_safety): ahead of the asked section's own passages.
SAFETY_WEIGHT = 1.5


@dataclass
class RetrievalTrace:
    timings_ms: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, since: float) -> None:
        self.timings_ms[stage] = self.timings_ms.get(stage, 0.0) + (time.perf_counter() - since) * 1000


class QueryEmbeddingCache:
    def __init__(self, encoder: Encoder, size: int = 2048) -> None:
        self.encoder = encoder
        self.size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str) -> np.ndarray:
        with self._lock:
            vec = self._cache.get(text)
            if vec is not None:
                self._cache.move_to_end(text)
                return vec
        vec = self.encoder.encode_query(text)
        with self._lock:
            self._cache[text] = vec
            if len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return vec


def attribute_tier(chunk_attribute: str, asked: str | None) -> int:
    if asked is None or chunk_attribute == asked:
        return 0
    return 1 if chunk_attribute in RELATED_ATTRIBUTES.get(asked, ()) else 2


def query_text(index: SearchIndex, query: SearchQuery) -> str:
    parts = [query.keywords]
    if query.medicine and query.medicine in index.medicines:
        name = index.medicines[query.medicine].name
        if name.casefold() not in query.keywords.casefold():
            parts.insert(0, name)
    if query.attribute in ATTRIBUTES:
        label = Attribute(query.attribute).label
        if label not in query.keywords:
            parts.append(label)
    return " ".join(p for p in parts if p).strip()


class HybridRetriever:
    """The retrieve stage: every distilled query searched over the serving index."""

    name = "retrieve"

    def __init__(self, encoder: Encoder | None, config: RetrieveSettings | None = None) -> None:
        self.config = config or RetrieveSettings()
        self.embeddings = QueryEmbeddingCache(encoder) if encoder is not None else None

    def to_dict(self) -> dict[str, object]:
        return {"type": "hybrid", **self.config.model_dump()}

    def run(self, state: TurnState) -> None:
        trace = RetrievalTrace()
        promoted = safety_rows(state.index, state.queries, state.dialogue) if state.queries else frozenset()
        state.evidence = self.retrieve(state.index, state.queries, trace, promoted) if state.queries else []
        state.timings.update({f"retrieve.{k}": v for k, v in trace.timings_ms.items()})

    def search(
        self, index: SearchIndex, query: SearchQuery, trace: RetrievalTrace | None = None,
        promoted: frozenset[int] = frozenset(),
    ) -> list[tuple[int, float]]:
        """Ranked (chunk row, score) for one query; scores are weighted RRF scores, positive."""
        trace = trace or RetrievalTrace()
        cfg = self.config
        candidates = None
        if query.medicine is not None:
            candidates = index.rows_by_medicine.get(query.medicine)
            if candidates is None:
                return []
        text = query_text(index, query)
        n = cfg.top_n if candidates is None else max(cfg.top_n, len(candidates))
        t = time.perf_counter()
        lang = text_lang(text)
        bm25_rows, _ = index.bm25.search(tokenize(text, lang), n, candidates)
        trace.add("bm25", t)
        rankings = [list(map(int, bm25_rows))]
        weights = [cfg.bm25_weight]
        if index.dense is not None and self.embeddings is not None and cfg.dense_weight > 0:
            t = time.perf_counter()
            vec = self.embeddings.get(text)
            trace.add("embed", t)
            t = time.perf_counter()
            dense_rows, _ = index.dense.search(vec, n, candidates)
            trace.add("ann", t)
            rankings.append(list(map(int, dense_rows)))
            weights.append(cfg.dense_weight)
        t = time.perf_counter()
        fused = rrf_fuse(rankings, weights, cfg.rrf_k)
        # A question naming a drug but no attribute ("what is X?", "I was put on X") is best served by
        # what the drug is for.
        asked = query.attribute or ("indications" if query.medicine else None)
        safety_first = promoted if query.attribute in WHETHER_ASKS else frozenset()
        scored = [
            (row, score * (SAFETY_WEIGHT if row in safety_first
                           else TIER_WEIGHTS[attribute_tier(index.chunks[row].attribute, asked)]))
            for row, score in fused
        ]
        scored.sort(key=lambda rs: (-rs[1], rs[0]))
        trace.add("fusion", t)
        return scored

    def retrieve(
        self, index: SearchIndex, queries: list[SearchQuery], trace: RetrievalTrace | None = None,
        promoted: frozenset[int] = frozenset(),
    ) -> list[Evidence]:
        """Evidence from all queries, interleaved by rank so every asked medicine is represented near
        the top, duplicates removed; `promoted` rows (safety first) lead their query's ranking."""
        trace = trace or RetrievalTrace()
        per_query = [self.search(index, q, trace, promoted) for q in queries]
        merged: list[Evidence] = []
        seen: set[int] = set()
        depth = max((len(r) for r in per_query), default=0)
        for rank in range(depth):
            for qi, ranked in enumerate(per_query):
                if rank < len(ranked):
                    row, score = ranked[rank]
                    if row not in seen:
                        seen.add(row)
                        merged.append(Evidence(index.chunks[row], score, qi, rank))
        return merged
