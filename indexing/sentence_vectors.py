"""Vectors of the sentences the reader can quote, stored in the index version beside the chunk vectors.

The reader ranks a label's sentences by the serving encoder's similarity to the question. Encoding a
label's few hundred sentences per question takes seconds on a CPU, so they are encoded when the index is
built (or taken from a vector cache) and memory-mapped when served. Which sentences: the reader's own
split of each chunk, given by the caller (`indexing` imports nothing of the app), keyed by the hash of
the sentence text, so a reader whose split changed finds the sentences it still shares and falls back to
its other features for the rest.

Files in `<version>/sentences/`: `keys.npy` (n x 16 bytes, indexing.vector_cache.text_key), `codes.npy`
(n x dims int8) and `scales.npy` (n float32): per-vector int8 as in the vector cache, a quarter of float32.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from indexing.embed import Encoder
from indexing.schema import Chunk
from indexing.vector_cache import KEY_BYTES, VectorCache, quantize_int8, text_key

log = logging.getLogger(__name__)

SENTENCE_DIR = "sentences"
SentenceSplit = Callable[[Chunk], Iterable[str]]


def unique_sentences(chunks: Iterable[Chunk], split: SentenceSplit) -> list[str]:
    """Every sentence the reader can quote, once, in corpus order."""
    return list(dict.fromkeys(text for c in chunks for text in split(c)))


@dataclass(frozen=True)
class SentenceEmbedding:
    """The vectors of `texts` (rows of `present` only are meaningful) and how they were obtained."""

    texts: list[str]
    vectors: np.ndarray
    present: np.ndarray  # bool per text: from a cache or encoded now
    cached: int
    encoded: int


def embed_sentences(
    texts: list[str],
    encoder: Encoder,
    caches: list[VectorCache],
    max_encode: int | None = None,
    progress: bool = False,
) -> SentenceEmbedding:
    """Vectors from the caches where present; the rest encoded with the index's own encoder, unless more
    than `max_encode` are missing (None: no limit), in which case those stay without a vector."""
    vectors = np.zeros((len(texts), encoder.dims), dtype=np.float32)
    present = np.zeros(len(texts), dtype=bool)
    missing = list(range(len(texts)))
    for cache in caches:
        if not missing:
            break
        found, still = cache.lookup([texts[i] for i in missing])
        hit = np.ones(len(missing), dtype=bool)
        hit[still] = False
        rows = np.asarray(missing, dtype=np.int64)[hit]
        vectors[rows] = found[hit]
        present[rows] = True
        missing = [missing[j] for j in still]
    cached = int(present.sum())
    if missing and max_encode is not None and len(missing) > max_encode:
        log.warning("%d sentences lack a cached vector (limit %d): they are left without one", len(missing),
                    max_encode)
        return SentenceEmbedding(texts, vectors, present, cached, 0)
    if missing:
        log.info("encoding %d of %d sentences (the rest came from the vector cache)", len(missing), len(texts))
        batch = max(encoder.batch_size * 4, 256)
        bar = tqdm(total=len(missing), desc="embed sentences", unit="sentence", disable=None if progress else True)
        for start in range(0, len(missing), batch):
            idx = missing[start : start + batch]
            vectors[idx] = encoder.encode([texts[i] for i in idx])
            present[idx] = True
            bar.update(len(idx))
        bar.close()
    return SentenceEmbedding(texts, vectors, present, cached, len(missing))


def write_sentence_vectors(version_dir: Path, embedding: SentenceEmbedding) -> dict[str, Any]:
    """Write the sentences that have a vector; returns what the manifest records."""
    out = version_dir / SENTENCE_DIR
    out.mkdir(parents=True, exist_ok=True)
    rows = np.flatnonzero(embedding.present)
    keys = np.zeros((len(rows), KEY_BYTES), dtype=np.uint8)
    for i, row in enumerate(rows):
        keys[i] = np.frombuffer(text_key(embedding.texts[row]), dtype=np.uint8)
    vectors = embedding.vectors[rows]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    codes, scales = quantize_int8(vectors / np.clip(norms, 1e-12, None))
    np.save(out / "keys.npy", keys)
    np.save(out / "codes.npy", codes)
    np.save(out / "scales.npy", scales)
    size = sum(p.stat().st_size for p in out.iterdir())
    return {"sentences": len(embedding.texts), "with_vector": len(rows), "cached": embedding.cached,
            "encoded": embedding.encoded, "bytes": size}


class SentenceVectors:
    """The sentence vectors of one index version, memory-mapped; a sentence's row found by its text's hash."""

    def __init__(self, keys: np.ndarray, codes: np.ndarray, scales: np.ndarray) -> None:
        if keys.ndim != 2 or keys.shape[1] != KEY_BYTES or len(codes) != len(keys) or len(scales) != len(keys):
            raise ValueError(f"sentence vectors disagree: keys {keys.shape}, codes {codes.shape}, "
                             f"scales {scales.shape}")
        self._codes = codes
        self._scales = scales
        self._rows = {keys[i].tobytes(): i for i in range(len(keys))}

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def dims(self) -> int:
        return int(self._codes.shape[1])

    @classmethod
    def load(cls, version_dir: Path) -> SentenceVectors | None:
        """None when the version has none (built without them)."""
        folder = version_dir / SENTENCE_DIR
        if not (folder / "keys.npy").is_file():
            return None
        keys = np.load(folder / "keys.npy", mmap_mode="r")
        codes = np.load(folder / "codes.npy", mmap_mode="r")
        scales = np.load(folder / "scales.npy", mmap_mode="r")
        return cls(np.asarray(keys), codes, scales)

    def row(self, text: str) -> int | None:
        return self._rows.get(text_key(text))

    def rows(self, texts: list[str]) -> np.ndarray:
        """Each text's row, -1 where it has none."""
        return np.fromiter((self._rows.get(text_key(t), -1) for t in texts), dtype=np.int64, count=len(texts))

    def similarities(self, texts: list[str], query: np.ndarray) -> np.ndarray:
        """Cosine of each text's vector with the (unit) query vector; NaN where a text has none."""
        return self.similarities_of_rows(self.rows(texts), query)

    def similarities_of_rows(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """As `similarities`, for rows from `rows` (the stored vectors are unit length before quantising, so the
        dot product is the cosine within the int8 error)."""
        out = np.full(len(rows), np.nan, dtype=np.float32)
        found = rows >= 0
        if found.any():
            picked = rows[found]
            codes = np.asarray(self._codes[picked], dtype=np.float32)
            out[found] = (codes @ np.asarray(query, dtype=np.float32)) * np.asarray(self._scales[picked])
        return out
