"""Precomputed embeddings keyed by (model, chunk text), so a rebuild only encodes what changed.

The shipped corpus comes with such a file: encoding every label chunk on two CPU cores takes about
17 minutes, loading the cached vectors well under a second.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

KEY_BYTES = 16


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


class VectorCache:
    def __init__(self, model_id: str, dims: int) -> None:
        self.model_id = model_id
        self.dims = dims
        self._rows: dict[bytes, int] = {}
        self._blocks: list[np.ndarray] = []
        self._size = 0

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, texts: list[str], vectors: np.ndarray) -> None:
        if vectors.shape != (len(texts), self.dims):
            raise ValueError(f"expected {(len(texts), self.dims)} vectors, got {vectors.shape}")
        keep: list[int] = []
        for i, t in enumerate(texts):
            k = text_key(t)
            if k not in self._rows:
                self._rows[k] = self._size + len(keep)
                keep.append(i)
        if keep:
            self._blocks.append(np.asarray(vectors[keep], dtype=np.float32))
            self._size += len(keep)

    def _matrix(self) -> np.ndarray:
        if len(self._blocks) > 1:
            self._blocks = [np.concatenate(self._blocks)]
        return self._blocks[0] if self._blocks else np.zeros((0, self.dims), dtype=np.float32)

    def lookup(self, texts: list[str]) -> tuple[np.ndarray, list[int]]:
        """Vectors for the texts (zero rows where missing) and the indices that were missing."""
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        missing: list[int] = []
        matrix = self._matrix()
        for i, t in enumerate(texts):
            row = self._rows.get(text_key(t))
            if row is None:
                missing.append(i)
            else:
                out[i] = matrix[row]
        return out, missing

    def save(self, path: Path) -> None:
        """float16 halves the file; cosine scores move by about 1e-3, below ranking noise."""
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.zeros((len(self._rows), KEY_BYTES), dtype=np.uint8)
        for k, row in self._rows.items():
            keys[row] = np.frombuffer(k, dtype=np.uint8)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp,
            keys=keys,
            vectors=self._matrix().astype(np.float16),
            model_id=np.array(self.model_id),
            dims=np.array(self.dims),
        )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, model_id: str) -> VectorCache | None:
        """None when the file was made with another model: its vectors would be silently wrong."""
        with np.load(path, allow_pickle=False) as data:
            if str(data["model_id"]) != model_id:
                return None
            cache = cls(model_id, int(data["dims"]))
            keys = data["keys"]
            vectors = data["vectors"].astype(np.float32)
        cache._rows = {bytes(keys[i]): i for i in range(len(keys))}
        cache._blocks = [vectors]
        cache._size = len(keys)
        return cache
