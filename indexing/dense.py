"""Dense vector search over FAISS (inner product on L2-normalised vectors = cosine).

Small indexes are exact (IndexFlatIP); above `hnsw_threshold` vectors an HNSW graph is served.
Searches restricted to a candidate set (one medicine's chunks) are scored exactly with a matrix product.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DenseConfig:
    hnsw_threshold: int = 200_000
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 64
    use_gpu: bool = True


def gpu_count() -> int:
    try:
        return int(faiss.get_num_gpus())
    except AttributeError:  # faiss-cpu builds without the GPU symbols
        return 0


class DenseIndex:
    def __init__(self, vectors: np.ndarray, index: Any, kind: str, config: DenseConfig) -> None:
        self.vectors = vectors
        self.index = index
        self.kind = kind
        self.config = config

    @property
    def n_vectors(self) -> int:
        return int(self.vectors.shape[0])

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    @classmethod
    def build(cls, vectors: np.ndarray, config: DenseConfig | None = None) -> DenseIndex:
        config = config or DenseConfig()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n, d = vectors.shape
        index: Any
        if n >= config.hnsw_threshold:
            index = faiss.IndexHNSWFlat(d, config.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = config.ef_construction
            index.add(vectors)
            index.hnsw.efSearch = config.ef_search
            kind = "hnsw"
        else:
            index = faiss.IndexFlatIP(d)
            index.add(vectors)
            kind = "flat"
        return cls(vectors, cls._maybe_to_gpu(index, kind, config), kind, config)

    @staticmethod
    def _maybe_to_gpu(index: Any, kind: str, config: DenseConfig) -> Any:
        if not config.use_gpu or kind != "flat" or gpu_count() == 0:
            return index
        try:
            res = faiss.StandardGpuResources()
            return faiss.index_cpu_to_gpu(res, 0, index)
        except Exception:
            log.warning("moving the FAISS index to the GPU failed; searching on CPU", exc_info=True)
            return index

    def search(
        self, query: np.ndarray, top_k: int, candidates: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Row indices and cosine scores, best first."""
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        if candidates is not None:
            if len(candidates) == 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            scores = self.vectors[candidates] @ q[0]
            k = min(top_k, len(candidates))
            part = np.argpartition(-scores, k - 1)[:k] if k < len(candidates) else np.arange(len(candidates))
            order = part[np.lexsort((candidates[part], -scores[part]))]
            return candidates[order].astype(np.int64), scores[order].astype(np.float32)
        k = min(top_k, self.n_vectors)
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores, ids = self.index.search(q, k)
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)

    def save(self, directory: Path) -> None:
        np.save(directory / "vectors.npy", self.vectors)
        if self.kind == "hnsw":
            faiss.write_index(self.index, str(directory / "dense.faiss"))

    @classmethod
    def load(cls, directory: Path, config: DenseConfig | None = None) -> DenseIndex:
        config = config or DenseConfig()
        vectors = np.load(directory / "vectors.npy", mmap_mode=None)
        faiss_path = directory / "dense.faiss"
        if faiss_path.exists():
            index = faiss.read_index(str(faiss_path))
            hnsw: Any = faiss.downcast_index(index)
            hnsw.hnsw.efSearch = config.ef_search
            return cls(vectors, hnsw, "hnsw", config)
        return cls.build(vectors, config)
