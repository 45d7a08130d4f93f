"""Build an index version from a medicine corpus: chunk, tokenise, BM25, embed, FAISS, publish."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from indexing.bm25 import BM25Index
from indexing.chunk import ChunkingConfig, chunk_medicines
from indexing.dense import DenseConfig, DenseIndex
from indexing.embed import Encoder
from indexing.jsonl import file_sha256
from indexing.schema import Chunk, Medicine
from indexing.sentence_vectors import (
    SentenceEmbedding,
    SentenceSplit,
    embed_sentences,
    unique_sentences,
    write_sentence_vectors,
)
from indexing.sources.clinqa_jsonl import load_medicines
from indexing.store import (
    FORMAT_VERSION,
    MedicineEntry,
    new_version_id,
    prune,
    publish,
    staging_dir,
    write_version,
)
from indexing.text import TOKENIZER_VERSION, tokenize
from indexing.vector_cache import VectorCache

log = logging.getLogger(__name__)


@dataclass
class BuildOptions:
    index_dir: Path
    name: str = "medicines"
    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    dense: DenseConfig = field(default_factory=DenseConfig)
    with_dense: bool = True
    vector_caches: list[Path] = field(default_factory=list)
    # Where newly encoded vectors are remembered for the next build (None: not remembered).
    cache_out: Path | None = None
    progress: bool = True
    keep_versions: int = 3
    # When more chunks than this lack a cached vector, publish a BM25-only version instead of encoding
    # now (the caller encodes later, e.g. in the background). None: always encode.
    max_encode: int | None = None
    # The reader's sentence split (the app gives it; indexing imports no app): when set, each sentence it can
    # quote gets a vector in the version (indexing.sentence_vectors), from the vector caches or encoded.
    sentence_split: SentenceSplit | None = None
    # More sentences than this without a cached vector: they are left without one (None: encode them all).
    max_sentence_encode: int | None = None


@dataclass(frozen=True)
class BuildResult:
    path: Path
    manifest: dict[str, Any]


def medicine_entries(medicines: list[Medicine]) -> list[MedicineEntry]:
    return [
        MedicineEntry(m.id, m.name, m.aliases, m.lang, m.source, tuple(sorted(m.sections)), m.rxcuis, m.classes,
                      m.routes, m.product_type, m.ingredient_ids)
        for m in medicines
    ]


def tokenize_chunks(chunks: list[Chunk], progress: bool) -> list[list[str]]:
    # disable=None: no bar when stderr is not a terminal (a server log would fill with carriage returns)
    it = tqdm(chunks, desc="tokenise", unit="chunk", disable=None if progress else True)
    return [tokenize(c.index_text, c.lang) for c in it]


def embed_chunks(
    chunks: list[Chunk], encoder: Encoder, caches: list[VectorCache], progress: bool
) -> tuple[np.ndarray, int]:
    """Vectors for every chunk: from the caches where present, encoded otherwise. Returns the count
    that had to be encoded."""
    texts = [c.index_text for c in chunks]
    vectors = np.zeros((len(texts), encoder.dims), dtype=np.float32)
    missing = list(range(len(texts)))
    for cache in caches:
        if not missing:
            break
        found, still = cache.lookup([texts[i] for i in missing])
        still_set = set(still)
        for j, i in enumerate(missing):
            if j not in still_set:
                vectors[i] = found[j]
        missing = [missing[j] for j in still]
    if missing:
        log.info("encoding %d of %d chunks (the rest came from the vector cache)", len(missing), len(texts))
        batch = max(encoder.batch_size * 4, 256)
        bar = tqdm(total=len(missing), desc="embed", unit="chunk", disable=None if progress else True)
        for start in range(0, len(missing), batch):
            idx = missing[start : start + batch]
            vectors[idx] = encoder.encode([texts[i] for i in idx])
            bar.update(len(idx))
        bar.close()
    return vectors, len(missing)


def count_uncached(chunks: list[Chunk], caches: list[VectorCache]) -> int:
    missing = [c.index_text for c in chunks]
    for cache in caches:
        _, still = cache.lookup(missing)
        missing = [missing[i] for i in still]
    return len(missing)


def load_caches(paths: list[Path], encoder: Encoder) -> list[VectorCache]:
    caches = []
    for p in paths:
        if not p.is_file():
            continue
        cache = VectorCache.load(p, encoder.model_id)
        if cache is None:
            log.warning("ignoring vector cache %s: built with another model than %s", p, encoder.model_id)
        else:
            caches.append(cache)
    return caches


def build_index(
    corpus: Path,
    options: BuildOptions,
    encoder: Encoder | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build a complete version aside and switch CURRENT to it. Raises on bad input; the serving
    version is untouched until the very last rename."""
    started = time.time()
    stage = on_stage or (lambda s: log.info("index build: %s", s))
    corpus = Path(corpus)
    stage(f"loading {corpus}")
    medicines = load_medicines(corpus)
    corpus_hash = file_sha256(corpus)
    version = new_version_id(corpus_hash)
    # Claimed before the heavy work: a build killed at any point leaves only `.building-<pid>-<version>`,
    # which the next start-up (clean_staging) or build (prune) removes. CURRENT is untouched until publish.
    staging = staging_dir(options.index_dir, options.name, version)
    try:
        return _build_into(corpus, options, encoder, stage, started, medicines, corpus_hash, version, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _build_into(
    corpus: Path,
    options: BuildOptions,
    encoder: Encoder | None,
    stage: Callable[[str], None],
    started: float,
    medicines: list[Medicine],
    corpus_hash: str,
    version: str,
    staging: Path,
) -> BuildResult:
    chunks = chunk_medicines(medicines, options.chunking)
    stage(f"{len(medicines)} medicines, {len(chunks)} chunks")
    bm25 = BM25Index.build(tokenize_chunks(chunks, options.progress))

    dense = None
    encoded = 0
    model_id = None
    dims = None
    pending = 0
    caches: list[VectorCache] = []
    sentence_info: dict[str, Any] | None = None
    if options.with_dense:
        encoder = encoder or Encoder()
        caches = load_caches(options.vector_caches, encoder)
        if options.max_encode is not None:
            pending = count_uncached(chunks, caches)
    if options.with_dense and pending > (options.max_encode or 0):
        stage(f"{pending} chunks need encoding; publishing BM25 only for now")
    elif options.with_dense:
        assert encoder is not None
        vectors, encoded = embed_chunks(chunks, encoder, caches, options.progress)
        dense = DenseIndex.build(vectors, options.dense)
        model_id, dims = encoder.model_id, encoder.dims
        sentences = None
        if options.sentence_split is not None:
            sentences_started = time.time()
            stage("sentence vectors")
            sentences = embed_sentences(unique_sentences(chunks, options.sentence_split), encoder, caches,
                                        options.max_sentence_encode, options.progress)
            sentence_info = write_sentence_vectors(staging, sentences)
            sentence_info["seconds"] = round(time.time() - sentences_started, 2)
        if options.cache_out is not None and (encoded or (sentences is not None and sentences.encoded)):
            remember = VectorCache(encoder.model_id, encoder.dims)
            remember.add([c.index_text for c in chunks], vectors)
            if sentences is not None:
                _remember_sentences(remember, sentences)
            remember.save(options.cache_out)

    manifest: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "name": options.name,
        "version": version,
        "corpus": str(corpus),
        "corpus_sha256": corpus_hash,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "n_medicines": len(medicines),
        "n_chunks": len(chunks),
        "languages": sorted({m.lang for m in medicines}),
        "chunking": options.chunking.to_dict(),
        "tokenizer": TOKENIZER_VERSION,
        "bm25": {"k1": bm25.k1, "b": bm25.b, "epsilon": bm25.epsilon, "vocab": bm25.vocab_size},
        "retrieval": "hybrid" if dense is not None else "bm25",
        "embedding_model": model_id,
        "dims": dims,
        "dense_kind": dense.kind if dense is not None else None,
        "encoded_chunks": encoded,
        "dense_pending": pending if dense is None and options.with_dense else 0,
    }
    if sentence_info is not None:
        manifest["sentence_vectors"] = sentence_info
    stage("writing index files")
    manifest["build_seconds"] = round(time.time() - started, 2)
    write_version(staging, manifest, chunks, medicine_entries(medicines), bm25, dense)
    path = publish(options.index_dir, options.name, staging, version)
    prune(options.index_dir, options.name, keep=options.keep_versions)
    stage(f"published version {version} ({manifest['retrieval']})")
    return BuildResult(path=path, manifest=manifest)


def _remember_sentences(cache: VectorCache, sentences: SentenceEmbedding) -> None:
    rows = np.flatnonzero(sentences.present)
    cache.add([sentences.texts[i] for i in rows], sentences.vectors[rows])
