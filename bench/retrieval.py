"""Retrieval engines at 10k / 100k / 1M chunks against the libraries users would pick instead.

Sections: BM25 (ours vs rank-bm25 BM25Okapi and bm25s), dense (the served ANN vs exact faiss
IndexFlatIP), hybrid end to end (query embedding + BM25 + ANN + RRF, as served), Haystack's in-memory
hybrid pipeline, and index build time / peak memory / disk size. Every ratio is against a baseline measured
in the same run; each latency is the median of `repeats` passes per query, reported as p50/p95 over queries.
Searches run on one thread (faiss.omp_set_num_threads(1)), as one request is served.

Corpora come from bench/scale.py (cached under data/bench/). Indexes are built once per scale in a child
process (its peak RSS is the memory figure) and cached beside the corpus.

    .venv/bin/python -m bench.retrieval [--scales 10000,100000] [--repeats 3] [--queries 200] [--quick]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from numpy.typing import NDArray

from bench.common import WORK_DIR, BenchOptions, Section, latencies_ms, load_questions, percentile, ratio
from bench.scale import NOISE_SIGMA, RealCorpus, ScaleCorpus, cache_dir, load_real, load_real_index, scale_corpus
from indexing.bm25 import BM25Index
from indexing.dense import DenseConfig, DenseIndex
from indexing.embed import Encoder
from indexing.hybrid import rrf_fuse
from indexing.store import SearchIndex
from indexing.text import tokenize

TOP_K = 10
TOP_N = 20  # candidates per retriever before fusion (CLINQA_RETRIEVE__TOP_N's default)
RANK_BM25_MAX = 100_000  # rank-bm25 keeps a dict per document: impractical at 1M
RANK_BM25_QUERIES = {10_000: 200, 100_000: 50}
HAYSTACK_QUERIES = {20_942: 50, 100_000: 20}
HAYSTACK_MAX = 100_000
SEARCH_TIME = ("ef_search", "ivf_nprobe", "use_gpu")


@dataclass
class Workspace:
    options: BenchOptions
    index: SearchIndex
    directory: Path
    real: RealCorpus
    questions: list[str]
    query_tokens: list[list[str]]

    @classmethod
    def open(cls, options: BenchOptions) -> Workspace:
        index = load_real_index()
        directory = cache_dir(options.work_dir, index)
        questions = load_questions(options.queries)
        return cls(options, index, directory, load_real(index, directory), questions, [tokenize(q) for q in questions])

    def query_vectors(self, encoder: Encoder) -> NDArray[np.float32]:
        """The questions' embeddings, encoded once per model and cached."""
        key = hashlib.sha1(("\n".join(self.questions) + encoder.model_id).encode()).hexdigest()[:10]
        path = self.directory / f"queries-{key}.npy"
        if not path.is_file():
            np.save(path, np.stack([encoder.encode_query(q) for q in self.questions]).astype(np.float32))
        return np.asarray(np.load(path), dtype=np.float32)


@dataclass
class Built:
    bm25: BM25Index
    dense: DenseIndex
    stats: dict[str, Any]


def served_config() -> DenseConfig:
    return DenseConfig(use_gpu=False)


def served_encoder() -> Encoder:
    """The query encoder as the service constructs it (app/factory.py)."""
    from app.config import get_settings

    embed = get_settings().embed
    extra: dict[str, Any] = {"backend": embed.backend} if hasattr(embed, "backend") else {}
    return Encoder(embed.model, embed.device, embed.batch_size, threads=embed.torch_threads, **extra)


def index_dir(ws: Workspace, n: int) -> Path:
    """Keyed by what shapes the built index; search-time settings are applied when it is loaded."""
    fields = {k: v for k, v in asdict(served_config()).items() if k not in SEARCH_TIME}
    config = json.dumps(fields, sort_keys=True)
    return ws.directory / f"index-{n}-{hashlib.sha1(config.encode()).hexdigest()[:8]}"


def built_indexes(ws: Workspace, n: int) -> Built:
    """BM25 + served dense index for scale n, built in a child process the first time (for its peak RSS)."""
    path = index_dir(ws, n)
    if not (path / "build.json").is_file():
        cmd = [sys.executable, "-m", "bench.retrieval", "--build", str(n), "--work-dir", str(ws.options.work_dir)]
        subprocess.run(cmd, check=True)
    stats = json.loads((path / "build.json").read_text(encoding="utf-8"))
    return Built(BM25Index.load(path / "bm25"), DenseIndex.load(path, served_config()), stats)


def build_child(n: int, work_dir: Path) -> None:
    """Child process: load the tokenised corpus and vectors, build both indexes, save them with stats."""
    ws = Workspace.open(BenchOptions(work_dir=work_dir, queries=1))
    corpus = scale_corpus(ws.real, n, ws.directory)
    docs = corpus.docs()
    vectors = np.ascontiguousarray(corpus.vectors(ws.directory))
    rss_inputs = _maxrss_bytes()
    t = time.perf_counter()
    bm25 = BM25Index.build(docs)
    bm25_s = time.perf_counter() - t
    del docs
    gc.collect()
    t = time.perf_counter()
    dense = DenseIndex.build(vectors, served_config())
    dense_s = time.perf_counter() - t
    rss_peak = _maxrss_bytes()
    path = index_dir(ws, n)
    tmp = path.with_name(path.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    bm25.save(tmp / "bm25")
    dense.save(tmp)
    stats = {
        "n": n,
        "bm25_build_s": bm25_s,
        "dense_build_s": dense_s,
        "dense_kind": dense.kind,
        "rss_inputs_bytes": rss_inputs,
        "rss_peak_bytes": rss_peak,
        "bm25_disk_bytes": _du(tmp / "bm25"),
        "dense_disk_bytes": _du(tmp) - _du(tmp / "bm25"),
        "vocab": bm25.vocab_size,
        "tokens": int(corpus.offsets[-1]),
        "threads": os.cpu_count(),
    }
    (tmp / "build.json").write_text(json.dumps(stats, indent=2), encoding="utf-8")
    if path.exists():
        raise FileExistsError(path)
    tmp.rename(path)


def _maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _p(values: Sequence[float]) -> tuple[float, float]:
    return percentile(values, 50), percentile(values, 95)


def _ms(values: Sequence[float]) -> str:
    p50, p95 = _p(values)
    return f"p50 {p50:.3f} ms, p95 {p95:.3f} ms"


def _gib(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:.2f} GiB"


def _n(n: int) -> str:
    return f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M"


# ---------------------------------------------------------------------------------------------- BM25


def top10_exact(scores: NDArray[np.float64]) -> NDArray[np.int64]:
    """rank-bm25's top 10 with positive scores, ties to the lower index (what BM25Index.search returns)."""
    positive = np.flatnonzero(scores > 0)
    order = np.lexsort((positive, -scores[positive]))[:TOP_K]
    return positive[order]


def bm25_rows(section: Section, ws: Workspace, n: int, corpus: ScaleCorpus, bm25: BM25Index) -> None:
    queries = [q for q in ws.query_tokens if any(bm25.term_id(t) is not None for t in q)]
    repeats = ws.options.repeats
    ours = latencies_ms(lambda q: bm25.search(q, TOP_K), queries, repeats)
    section.add(f"{_n(n)}: ours, top-10", _ms(ours), f"{len(queries)} queries with a known term")
    docs = corpus.docs()
    bm25s_top = _bm25s_rows(section, n, docs, queries, ours, repeats)
    if n > RANK_BM25_MAX:
        section.notes.append(
            f"rank-bm25 is not run at {_n(n)}: BM25Okapi keeps one Python dict per document (tens of GB "
            "and hours of queries at 1M); its identity with ours is checked at 10k and 100k."
        )
        return
    from rank_bm25 import BM25Okapi

    subset = queries[: RANK_BM25_QUERIES.get(n, 50)]
    t = time.perf_counter()
    okapi = BM25Okapi(docs)
    build_s = time.perf_counter() - t
    del docs

    def okapi_top10(q: list[str]) -> object:
        scores = okapi.get_scores(q)
        best = np.argpartition(-scores, TOP_K)[:TOP_K]
        return best[np.argsort(-scores[best])]

    base = latencies_ms(okapi_top10, subset, min(repeats, 3))
    same = bit_same = bm25s_same = 0
    for i, q in enumerate(subset):
        scores = np.asarray(okapi.get_scores(q), dtype=np.float64)
        expected = top10_exact(scores)
        got, got_scores = bm25.search(q, TOP_K)
        same += bool(np.array_equal(got, expected))
        bit_same += bool(np.array_equal(got_scores, scores[expected]))
        bm25s_same += bm25s_top is not None and set(bm25s_top[i]) == set(expected.tolist())
    ours_sub = [ours[queries.index(q)] for q in subset]
    section.add(
        f"{_n(n)}: rank-bm25 BM25Okapi, top-10 ({len(subset)} queries)",
        _ms(base),
        f"ours {ratio(percentile(base, 50), percentile(ours_sub, 50))} (p50, same queries); build {build_s:.1f} s",
    )
    section.add(
        f"{_n(n)}: top-10 identical to rank-bm25",
        f"{same}/{len(subset)} ids, {bit_same}/{len(subset)} bit-identical scores",
    )
    if bm25s_top is not None:
        section.add(f"{_n(n)}: bm25s top-10 = rank-bm25's (as sets)", f"{bm25s_same}/{len(subset)}")


def _bm25s_rows(
    section: Section, n: int, docs: list[list[str]], queries: list[list[str]], ours: list[float], repeats: int
) -> list[list[int]] | None:
    try:
        import bm25s
    except ImportError:
        section.add(f"{_n(n)}: bm25s", "not installed", "pip install '.[bench]'")
        return None
    t = time.perf_counter()
    retriever = bm25s.BM25(method="robertson")
    retriever.index(docs, show_progress=False)
    build_s = time.perf_counter() - t

    def search(q: list[str]) -> Any:
        return retriever.retrieve([q], k=TOP_K, show_progress=False, n_threads=0)

    base = latencies_ms(search, queries, repeats)
    section.add(
        f"{_n(n)}: bm25s 0.3 (numpy backend), top-10",
        _ms(base),
        f"ours {ratio(percentile(base, 50), percentile(ours, 50))} (p50); "
        f"{ratio(percentile(base, 95), percentile(ours, 95))} (p95); build {build_s:.1f} s",
    )
    return [list(map(int, search(q).documents[0])) for q in queries]


# ---------------------------------------------------------------------------------------------- dense


def recall_at_10(found: Sequence[NDArray[np.int64]], truth: NDArray[np.int64]) -> float:
    hits = sum(len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True))
    return hits / (TOP_K * len(truth))


def exact_search(
    vectors: NDArray[np.float32], queries: NDArray[np.float32], repeats: int
) -> tuple[list[float], NDArray[np.int64]]:
    """Per-query latency of exact search (one thread) and the true top-10 of every query."""
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    faiss.omp_set_num_threads(1)
    latencies = latencies_ms(lambda q: flat.search(q[None, :], TOP_K), list(queries), repeats)
    return latencies, np.asarray(flat.search(queries, TOP_K)[1], dtype=np.int64)


def dense_rows(
    section: Section, ws: Workspace, n: int, vectors: NDArray[np.float32], built: Built, queries: NDArray[np.float32]
) -> None:
    exact, truth = exact_search(vectors, queries, ws.options.repeats)
    dense = built.dense
    served = latencies_ms(lambda q: dense.search(q, TOP_K), list(queries), ws.options.repeats)
    recall = recall_at_10([dense.search(q, TOP_K)[0] for q in queries], truth)
    section.add(f"{_n(n)}: exact, faiss IndexFlatIP", _ms(exact), "baseline")
    section.add(
        f"{_n(n)}: served ({_describe(dense)})",
        f"{_ms(served)}; recall@10 {recall:.4f}",
        f"{ratio(percentile(exact, 50), percentile(served, 50))} than exact (p50)",
    )
    if dense.kind != "flat":
        _sweep(section, n, dense, queries, truth, ws.options.repeats)


def _describe(dense: DenseIndex) -> str:
    c = dense.config
    if dense.kind == "ivf":
        return f"IVF-Flat nlist {dense.index.nlist}, nprobe {dense.index.nprobe}"
    if dense.kind == "hnsw":
        return f"HNSW M {c.hnsw_m}, efConstruction {c.ef_construction}, efSearch {c.ef_search}"
    return "flat, exact"


def _sweep(
    section: Section, n: int, dense: DenseIndex, queries: NDArray[np.float32], truth: NDArray[np.int64], repeats: int
) -> None:
    """Recall/latency of the served index at other search-time settings (why the default is what it is)."""
    knob, values, setter = _search_knob(dense)
    default = values[0]
    cells = []
    for value in sorted({*values[1:], default}):
        setter(value)
        lat = latencies_ms(lambda q: dense.search(q, TOP_K), list(queries), max(1, repeats - 1))
        rec = recall_at_10([dense.search(q, TOP_K)[0] for q in queries], truth)
        cells.append(f"{knob} {value}: recall {rec:.3f}, p50 {percentile(lat, 50):.2f} ms")
    setter(default)
    section.add(f"{_n(n)}: served index, other {knob} values", "; ".join(cells), f"served: {knob} {default}")


def _search_knob(dense: DenseIndex) -> tuple[str, list[int], Callable[[int], None]]:
    if dense.kind == "ivf":
        ivf = dense.index
        return "nprobe", [int(ivf.nprobe), 32, 64, 96, 128, 192], lambda v: setattr(ivf, "nprobe", v)
    hnsw = dense.index.hnsw
    return "efSearch", [int(hnsw.efSearch), 32, 64, 128, 256], lambda v: setattr(hnsw, "efSearch", v)


def build_rows(section: Section, n: int, built: Built) -> None:
    s = built.stats
    section.add(
        f"{_n(n)}: build BM25 / dense ({s['dense_kind']})",
        f"{s['bm25_build_s']:.1f} s / {s['dense_build_s']:.1f} s",
        f"{s['tokens']:,} tokens, vocabulary {s['vocab']:,}; {s['threads']} threads",
    )
    section.add(
        f"{_n(n)}: peak RSS building both (child process)",
        _gib(s["rss_peak_bytes"]),
        f"of which {_gib(s['rss_inputs_bytes'])} is the loaded corpus tokens and vectors; machine has 24 GiB",
    )
    section.add(
        f"{_n(n)}: on disk BM25 / dense",
        f"{_gib(s['bm25_disk_bytes'])} / {_gib(s['dense_disk_bytes'])}",
        "dense = vectors.npy (+ dense.faiss for an ANN)",
    )


# ---------------------------------------------------------------------------------------------- hybrid


def hybrid_search(
    bm25: BM25Index, dense: DenseIndex, tokens: list[str], vector: NDArray[np.float32]
) -> list[tuple[int, float]]:
    bm25_rows_, _ = bm25.search(tokens, TOP_N)
    dense_rows_, _ = dense.search(vector, TOP_N)
    return rrf_fuse([bm25_rows_.tolist(), dense_rows_.tolist()])


def hybrid_rows(section: Section, ws: Workspace, n: int, built: Built, encoder: Encoder) -> None:
    faiss.omp_set_num_threads(1)
    embed_ms: list[list[float]] = [[] for _ in ws.questions]
    rest_ms: list[list[float]] = [[] for _ in ws.questions]
    for _ in range(ws.options.repeats):
        for i, question in enumerate(ws.questions):
            t0 = time.perf_counter()
            vector = encoder.encode_query(question)
            t1 = time.perf_counter()
            hybrid_search(built.bm25, built.dense, tokenize(question), vector)
            t2 = time.perf_counter()
            embed_ms[i].append((t1 - t0) * 1000)
            rest_ms[i].append((t2 - t1) * 1000)
    embed = [float(np.median(x)) for x in embed_ms]
    rest = [float(np.median(x)) for x in rest_ms]
    total = [float(np.median(np.add(a, b))) for a, b in zip(embed_ms, rest_ms, strict=True)]
    section.add(f"{_n(n)}: end to end (embed + tokenise + BM25 + dense + RRF)", _ms(total), "target p50 <= 20 ms at 1M")
    section.add(f"{_n(n)}: of which query embedding", _ms(embed), f"encoder: {_encoder_name(encoder)}")
    section.add(f"{_n(n)}: of which tokenise + BM25 + dense + RRF", _ms(rest), f"dense: {_describe(built.dense)}")


def _encoder_name(encoder: Encoder) -> str:
    backend = getattr(encoder, "backend_in_use", None) or "torch"
    return f"{encoder.model_id} ({backend}, {getattr(encoder, 'threads', None)} thread(s), {encoder.device or 'cpu'})"


# ---------------------------------------------------------------------------------------------- Haystack


def haystack_rows(
    section: Section,
    ws: Workspace,
    label: str,
    texts: list[str],
    vectors: NDArray[np.float32],
    ours: Callable[[int], object],
    queries: NDArray[np.float32],
) -> None:
    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
    try:
        from haystack import Document, Pipeline
        from haystack.components.joiners import DocumentJoiner
        from haystack.components.retrievers.in_memory import InMemoryBM25Retriever, InMemoryEmbeddingRetriever
        from haystack.document_stores.in_memory import InMemoryDocumentStore
    except ImportError:
        section.add(f"{label}: Haystack", "not installed", "make bench installs it (.[bench])")
        return
    t = time.perf_counter()
    store = InMemoryDocumentStore()
    store.write_documents(
        [Document(id=str(i), content=text, embedding=vectors[i].tolist()) for i, text in enumerate(texts)]
    )
    pipe = Pipeline()
    pipe.add_component("bm25", InMemoryBM25Retriever(store, top_k=TOP_N))
    pipe.add_component("dense", InMemoryEmbeddingRetriever(store, top_k=TOP_N))
    pipe.add_component("join", DocumentJoiner(join_mode="reciprocal_rank_fusion"))
    pipe.connect("bm25", "join")
    pipe.connect("dense", "join")
    build_s = time.perf_counter() - t
    count = HAYSTACK_QUERIES.get(len(texts), 20)
    rows = list(range(min(count, len(queries))))
    repeats = min(ws.options.repeats, 2 if len(texts) <= 50_000 else 1)

    def run_haystack(j: int) -> object:
        return pipe.run({"bm25": {"query": ws.questions[j]}, "dense": {"query_embedding": queries[j].tolist()}})

    theirs = latencies_ms(run_haystack, rows, repeats)
    mine = latencies_ms(ours, rows, ws.options.repeats)
    section.add(
        f"{label}: Haystack 3.4.1 in-memory BM25 + embedding retrievers, RRF joiner",
        f"{_ms(theirs)} ({len(rows)} queries x {repeats})",
        f"indexing {build_s:.1f} s",
    )
    section.add(
        f"{label}: ours, same corpus, vectors and query vectors (BM25 + dense + RRF)",
        _ms(mine),
        f"{ratio(percentile(theirs, 50), percentile(mine, 50))} than Haystack (p50); target >= 50x",
    )


# ---------------------------------------------------------------------------------------------- main


def run(options: BenchOptions) -> list[Section]:
    started = time.perf_counter()
    ws = Workspace.open(options)
    encoder = served_encoder()
    encoder.encode_query("warm up")
    queries = ws.query_vectors(encoder)
    bm25 = Section("Retrieval: BM25 top-10")
    dense = Section("Retrieval: dense top-10 (served ANN vs exact)")
    hybrid = Section("Retrieval: hybrid end to end (one query, as served)")
    haystack = Section("Retrieval: vs Haystack (hybrid BM25 + embedding + RRF, precomputed query vector)")
    build = Section("Retrieval: index build, memory and disk")
    for n in options.scales:
        corpus = scale_corpus(ws.real, n, ws.directory)
        built = built_indexes(ws, n)
        bm25_rows(bm25, ws, n, corpus, built.bm25)
        vectors = np.ascontiguousarray(corpus.vectors(ws.directory))
        dense_rows(dense, ws, n, vectors, built, queries)
        hybrid_rows(hybrid, ws, n, built, encoder)
        build_rows(build, n, built)
        if n <= HAYSTACK_MAX and n > ws.real.n and not options.quick:
            _haystack_scale(haystack, ws, corpus, vectors, built, queries)
        del corpus, built, vectors
        gc.collect()
    if not options.quick:
        _haystack_real(haystack, ws, queries)
    _notes(bm25, dense, hybrid, haystack, build, ws, options)
    build.notes.append(f"This section's run took {time.perf_counter() - started:.0f} s (whole bench.retrieval).")
    return [bm25, dense, hybrid, haystack, build]


def _haystack_real(section: Section, ws: Workspace, queries: NDArray[np.float32]) -> None:
    index = ws.index
    assert index.dense is not None
    vectors = np.ascontiguousarray(index.dense.vectors, dtype=np.float32)
    tokens = [tokenize(q) for q in ws.questions]
    served = index.dense

    def ours(j: int) -> object:
        return hybrid_search(index.bm25, served, tokens[j], queries[j])

    label = f"real corpus {len(index.chunks):,} chunks"
    haystack_rows(section, ws, label, [c.index_text for c in index.chunks], vectors, ours, queries)


def _haystack_scale(
    section: Section,
    ws: Workspace,
    corpus: ScaleCorpus,
    vectors: NDArray[np.float32],
    built: Built,
    queries: NDArray[np.float32],
) -> None:
    tokens = [tokenize(q) for q in ws.questions]

    def ours(j: int) -> object:
        return hybrid_search(built.bm25, built.dense, tokens[j], queries[j])

    texts = [corpus.text(i) for i in range(corpus.n)]
    haystack_rows(section, ws, _n(corpus.n), texts, vectors, ours, queries)


def _notes(
    bm25: Section,
    dense: Section,
    hybrid: Section,
    haystack: Section,
    build: Section,
    ws: Workspace,
    options: BenchOptions,
) -> None:
    corpus_note = (
        f"Corpora: {_n(10_000)} = a seeded subset of the {ws.real.n:,} real label chunks; larger = all real chunks "
        "plus synthetic medicines whose chunks are real sentences of the same section kind shuffled across chunks, "
        "drug names swapped for made-up ones (bench/scale.py). Queries: "
        f"{len(ws.questions)} MedicationQA dev questions, tokenised with indexing.text.tokenize."
    )
    bm25.notes += [
        corpus_note,
        "Ours = indexing/bm25.py (CSR term x doc matrix of finished scores). bm25s: method='robertson', "
        "retrieve([tokens], k=10, n_threads=0), numpy backend (numba is not installed); it builds from the same "
        "token lists. rank-bm25: get_scores + argpartition top-10, on a subset of the queries (slow).",
    ]
    dense.notes += [
        f"Vectors of synthetic chunks: normalize(v + N(0, {NOISE_SIGMA}^2 I)) from their template chunk's real "
        "all-MiniLM-L6-v2 embedding (cosine to it 0.85 on average): encoding 1M chunks on 2 cores takes ~14 hours. "
        "Query vectors are the questions' real embeddings.",
        "Single-threaded search (faiss.omp_set_num_threads(1)); recall@10 = overlap of the served top-10 with "
        "IndexFlatIP's top-10. Unrestricted search over the whole index (the service restricts dense search to "
        "one medicine's chunks when the query names one, which is exact and cheaper).",
    ]
    hybrid.notes.append(
        "Per question: encode_query (the service's Encoder settings) + tokenize + BM25Index.search(top 20) + "
        "DenseIndex.search(top 20) + rrf_fuse. Unrestricted (no medicine filter) and without the section-tier "
        "weighting, which costs microseconds."
    )
    haystack.notes.append(
        "Haystack: InMemoryDocumentStore (its default BM25L), InMemoryBM25Retriever(top_k=20) + "
        "InMemoryEmbeddingRetriever(top_k=20) joined by DocumentJoiner(join_mode='reciprocal_rank_fusion'), one "
        "Pipeline.run per query with the question text and its precomputed embedding. Ours: the same corpus, "
        "vectors and query vectors. Not run at 1M: the in-memory store scores every document in Python/numpy "
        "per query (seconds per query at 100k already) and holds the embeddings as Python lists (~30 GB)."
    )
    if options.quick:
        haystack.notes.append("Skipped (--quick).")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="10000,100000,1000000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="skip Haystack")
    parser.add_argument("--work-dir", type=Path, default=WORK_DIR)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        build_child(args.build, args.work_dir)
        return
    options = BenchOptions(
        scales=tuple(int(s) for s in args.scales.split(",") if s),
        repeats=args.repeats,
        queries=args.queries,
        work_dir=args.work_dir,
        quick=args.quick,
    )
    for section in run(options):
        print(section.markdown())


if __name__ == "__main__":
    main()
