"""Precomputed embeddings keyed by (model, chunk text), so a rebuild only encodes what changed.

The shipped corpus comes with such a file: encoding every label chunk on two CPU cores takes about half an
hour, loading the cached vectors about a second.

Encodings on disk (`save(..., encoding=...)`; `load` reads all of them):
- float16: half of float32; cosine scores move by about 1e-3.
- int8: a quarter of float32; each vector scaled by its largest component (`scales`, float32) to -127..127.
  The shipped file uses it: corpora/README.md has its measured effect on retrieval (none on hit@k).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np

KEY_BYTES = 16
ENCODINGS = ("float16", "int8")


def quantize_int8(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-vector symmetric int8: (codes, scales) with vectors ~= codes * scales[:, None]."""
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, dtype=np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    codes = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return codes, scales


def dequantize_int8(codes: np.ndarray, scales: np.ndarray) -> np.ndarray:
    return codes.astype(np.float32) * np.asarray(scales, dtype=np.float32)[:, None]


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

    def save(self, path: Path, encoding: str = "float16") -> None:
        """Write the cache; `encoding` is float16 or int8 (see the module docstring)."""
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown vector encoding {encoding!r}; expected one of {', '.join(ENCODINGS)}")
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.zeros((len(self._rows), KEY_BYTES), dtype=np.uint8)
        for k, row in self._rows.items():
            keys[row] = np.frombuffer(k, dtype=np.uint8)
        arrays: dict[str, Any] = {}
        if encoding == "int8":
            arrays["vectors"], arrays["scales"] = quantize_int8(self._matrix())
        else:
            arrays["vectors"] = self._matrix().astype(np.float16)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp,
            keys=keys,
            model_id=np.array(self.model_id),
            dims=np.array(self.dims),
            encoding=np.array(encoding),
            **arrays,
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
            if "scales" in data.files:
                vectors = dequantize_int8(data["vectors"], data["scales"])
            else:
                vectors = data["vectors"].astype(np.float32)
        cache._rows = {bytes(keys[i]): i for i in range(len(keys))}
        cache._blocks = [vectors]
        cache._size = len(keys)
        return cache


def main(argv: list[str] | None = None) -> int:
    """Re-encode a cache file: `python -m indexing.vector_cache SRC DST --encoding int8`."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m indexing.vector_cache", description=main.__doc__)
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    parser.add_argument("--encoding", choices=ENCODINGS, default="int8")
    args = parser.parse_args(argv)
    with np.load(args.src, allow_pickle=False) as data:
        model_id = str(data["model_id"])
    cache = VectorCache.load(args.src, model_id)
    assert cache is not None
    cache.save(args.dst, encoding=args.encoding)
    print(f"{args.dst}: {len(cache)} vectors of {model_id}, {args.encoding}, {args.dst.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
