"""Sentence vectors of an index version: from the caches or encoded, written int8, memory-mapped, looked up by text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from indexing.schema import Chunk
from indexing.sentence_vectors import (
    SENTENCE_DIR,
    SentenceEmbedding,
    SentenceVectors,
    embed_sentences,
    unique_sentences,
    write_sentence_vectors,
)
from indexing.vector_cache import VectorCache

DIMS = 16


class CountingEncoder:
    """Deterministic unit vectors from the text's hash; remembers what it was asked to encode."""

    model_id = "fake-model"
    dims = DIMS
    batch_size = 4

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        return np.stack([vector_of(t) for t in texts])


def vector_of(text: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(DIMS).astype(np.float32)
    return v / np.linalg.norm(v)


def chunk(text: str, n: int = 0) -> Chunk:
    return Chunk(chunk_id=f"m:dosage:{n}", medicine_id="m", attribute="dosage", position=n, title="M - dosage",
                 lang="en", text=text)


def split_on_stop(c: Chunk) -> list[str]:
    return [s.strip() + "." for s in c.text.split(".") if s.strip()]


def test_unique_sentences_once_in_corpus_order() -> None:
    chunks = [chunk("Take one tablet. Do not crush it.", 0), chunk("Do not crush it. Store dry.", 1)]
    assert unique_sentences(chunks, split_on_stop) == ["Take one tablet.", "Do not crush it.", "Store dry."]


def test_cached_vectors_are_used_and_only_the_rest_encoded() -> None:
    texts = ["Take one tablet.", "Do not crush it.", "Store dry."]
    cache = VectorCache("fake-model", DIMS)
    cache.add(["Do not crush it."], vector_of("Do not crush it.")[None, :] * 0.5)  # recognisably the cache's
    encoder = CountingEncoder()
    result = embed_sentences(texts, encoder, [cache])  # type: ignore[arg-type]
    assert encoder.encoded == ["Take one tablet.", "Store dry."]
    assert result.present.all() and (result.cached, result.encoded) == (1, 2)
    np.testing.assert_allclose(result.vectors[1], vector_of("Do not crush it.") * 0.5)
    np.testing.assert_allclose(result.vectors[2], vector_of("Store dry."))


def test_over_the_encoding_limit_the_uncached_stay_without_a_vector() -> None:
    texts = ["Take one tablet.", "Do not crush it.", "Store dry."]
    cache = VectorCache("fake-model", DIMS)
    cache.add(["Store dry."], vector_of("Store dry.")[None, :])
    encoder = CountingEncoder()
    result = embed_sentences(texts, encoder, [cache], max_encode=1)  # type: ignore[arg-type]
    assert encoder.encoded == []
    assert result.present.tolist() == [False, False, True] and result.encoded == 0


def test_written_vectors_load_memory_mapped_and_score_as_float_cosine(tmp_path: Path) -> None:
    texts = [f"Sentence number {i} of the label." for i in range(50)]
    vectors = np.stack([vector_of(t) for t in texts])
    present = np.ones(len(texts), dtype=bool)
    present[7] = False  # e.g. over the encoding limit
    info = write_sentence_vectors(tmp_path, SentenceEmbedding(texts, vectors, present, 49, 0))
    assert info["sentences"] == 50 and info["with_vector"] == 49 and info["bytes"] > 0
    loaded = SentenceVectors.load(tmp_path)
    assert loaded is not None and len(loaded) == 49 and loaded.dims == DIMS
    assert isinstance(loaded._codes, np.memmap)
    query = vector_of("what dose?")
    sims = loaded.similarities([*texts, "A sentence the build never saw."], query)
    assert np.isnan(sims[7]) and np.isnan(sims[-1])
    exact = vectors @ query
    keep = [i for i in range(50) if i != 7]
    np.testing.assert_allclose(sims[keep], exact[keep], atol=0.02)  # int8: ~1e-2 on cosine at worst
    assert int(np.nanargmax(sims)) == int(np.argmax(np.where(present, exact, -2)))


def test_a_version_without_sentence_vectors_has_none(tmp_path: Path) -> None:
    assert SentenceVectors.load(tmp_path) is None


def test_files_that_disagree_are_refused(tmp_path: Path) -> None:
    write_sentence_vectors(tmp_path, SentenceEmbedding(["One sentence here."], vector_of("x")[None, :],
                                                       np.ones(1, dtype=bool), 0, 1))
    np.save(tmp_path / SENTENCE_DIR / "scales.npy", np.ones(3, dtype=np.float32))
    with pytest.raises(ValueError, match="disagree"):
        SentenceVectors.load(tmp_path)
