"""The reader's sentence-similarity feature: the build keys vectors by the reader's own sentences, the scores
are scaled over the label and weighted, and a high weight brings the most similar sentence into the answer.

Vectors here are deterministic stand-ins (a hash of the text), so the tests need no encoding: what is tested is
the lookup, the scaling and the ranking hook, not the encoder."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import pytest

from app.config import ReadSettings
from app.pipeline.read import ExtractiveReader
from app.pipeline.sentence_similarity import SentenceSimilarity, reader_sentence_texts
from app.pipeline.state import Evidence, SearchQuery
from indexing.build import BuildOptions, build_index
from indexing.schema import Chunk
from indexing.sentence_vectors import SENTENCE_DIR, SentenceEmbedding, unique_sentences, write_sentence_vectors
from indexing.store import SearchIndex, load_current
from tests.conftest import MINI_CORPUS

DIMS = 384


def vector_of(text: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(DIMS).astype(np.float32)
    return v / np.linalg.norm(v)


class HashEncoder:
    """Stands in for the index's encoder at build time."""

    model_id = "hash-encoder"
    dims = DIMS
    batch_size = 16

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.stack([vector_of(t) for t in texts])


class FixedQuery:
    """The retriever's query vectors, all pointing at one sentence."""

    def __init__(self, sentence: str) -> None:
        self.vector = vector_of(sentence)

    def get(self, text: str) -> np.ndarray:
        return self.vector


@pytest.fixture(scope="module")
def index_with_sentences(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    root = tmp_path_factory.mktemp("sentence-index")
    options = BuildOptions(index_dir=root, progress=False, sentence_split=reader_sentence_texts)
    result = build_index(MINI_CORPUS, options, encoder=HashEncoder())  # type: ignore[arg-type]
    assert (result.path / SENTENCE_DIR / "keys.npy").is_file()
    return load_current(root, "medicines")


def pool_texts(index: SearchIndex, medicine: str) -> list[str]:
    return [s.text for s in ExtractiveReader._pool([medicine], [], index)]


def test_every_sentence_the_reader_can_quote_has_a_vector(index_with_sentences: SearchIndex) -> None:
    info = index_with_sentences.manifest["sentence_vectors"]
    assert info["with_vector"] == info["sentences"] > 100 and info["encoded"] == info["sentences"]
    vectors = SentenceSimilarity(1.0, FixedQuery("x")).vectors(index_with_sentences)
    assert vectors is not None
    for medicine in index_with_sentences.medicines:
        texts = pool_texts(index_with_sentences, medicine)
        assert texts and all(vectors.row(t) is not None for t in texts), medicine


@pytest.fixture(scope="module")
def index_without_sentences(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    root = tmp_path_factory.mktemp("plain-index")
    build_index(MINI_CORPUS, BuildOptions(index_dir=root, progress=False), encoder=HashEncoder())  # type: ignore[arg-type]
    return load_current(root, "medicines")


def test_a_build_without_the_split_stores_no_sentence_vectors(index_without_sentences: SearchIndex) -> None:
    assert not (index_without_sentences.path / SENTENCE_DIR).exists()
    assert "sentence_vectors" not in index_without_sentences.manifest


def test_scores_are_scaled_over_the_label_and_weighted(index_with_sentences: SearchIndex) -> None:
    texts = pool_texts(index_with_sentences, "warfarin-sodium")
    target = texts[len(texts) // 2]
    similarity = SentenceSimilarity(2.5, FixedQuery(target))
    scores = similarity.scores(index_with_sentences, SearchQuery("warfarin-sodium", None, "alcohol"),
                               [*texts, "A sentence no build has seen."])
    assert scores[target] == pytest.approx(2.5)
    assert max(v for t, v in scores.items() if t != target) < 1.0  # unrelated sentences: near the median
    assert sorted(scores.values())[len(scores) // 2] == 0.0  # the median sentence scores 0
    assert scores["A sentence no build has seen."] == 0.0


def test_off_without_weight_embeddings_or_vectors(index_with_sentences: SearchIndex,
                                                  index_without_sentences: SearchIndex) -> None:
    texts = pool_texts(index_with_sentences, "metformin")
    query = SearchQuery("metformin", "dosage", "dose")
    assert SentenceSimilarity(0.0, FixedQuery(texts[0])).scores(index_with_sentences, query, texts) == {}
    assert SentenceSimilarity(1.0, None).scores(index_with_sentences, query, texts) == {}
    assert SentenceSimilarity(1.0, FixedQuery(texts[0])).scores(index_without_sentences, query, texts) == {}


def test_a_weighted_similarity_brings_the_most_similar_sentence_into_the_answer(
        index_with_sentences: SearchIndex) -> None:
    medicine, question = "amoxicillin", "How should I take amoxicillin?"
    query = SearchQuery(medicine, "dosage", question)
    row = int(index_with_sentences.rows_by_medicine[medicine][0])
    evidence = [Evidence(index_with_sentences.chunks[row], 1.0, 0, 0)]

    def quoted(weight: float, target: str) -> list[str]:
        reader = ExtractiveReader(ReadSettings(sentence_weight=weight), embeddings=FixedQuery(target))
        result = reader.read_evidence(question, [query], evidence, index=index_with_sentences)
        return [c.quote for c in result.citations]

    dosage = [s.text for s in ExtractiveReader._pool([medicine], [], index_with_sentences) if s.attribute == "dosage"]
    unquoted = [t for t in dosage if not any(t in q for q in quoted(0.0, dosage[0]))]
    assert unquoted, "every dosage sentence is quoted already: pick a longer section"
    target = unquoted[-1]
    assert any(target in q for q in quoted(10.0, target))
    assert ExtractiveReader(ReadSettings(sentence_weight=0.7)).to_dict()["sentence_weight"] == 0.7


def test_vectors_follow_the_served_version(index_with_sentences: SearchIndex, tmp_path: Path) -> None:
    """Another version (a rebuild) is loaded from its own directory, the old one's vectors dropped."""
    texts = pool_texts(index_with_sentences, "ibuprofen")
    chunks = [Chunk(c.chunk_id, c.medicine_id, c.attribute, c.position, c.text, c.title, c.lang)
              for c in index_with_sentences.chunks if c.medicine_id == "ibuprofen"]
    kept = unique_sentences(chunks, reader_sentence_texts)[:5]
    present = np.ones(len(kept), dtype=bool)
    write_sentence_vectors(tmp_path, SentenceEmbedding(kept, np.stack([vector_of(t) for t in kept]), present, 0, 5))
    rebuilt = dataclasses.replace(index_with_sentences, path=tmp_path,
                                  manifest={**index_with_sentences.manifest, "version": "rebuilt"})
    similarity = SentenceSimilarity(1.0, FixedQuery(kept[0]))
    first = similarity.vectors(index_with_sentences)
    second = similarity.vectors(rebuilt)
    assert first is not None and second is not None and len(second) == 5 < len(first)
    scores = similarity.scores(rebuilt, SearchQuery("ibuprofen", None, "x"), texts)
    assert scores[kept[0]] == pytest.approx(1.0)
    assert all(scores[t] == 0.0 for t in texts if t not in kept)  # no vector in this version: no feature
