"""`make bench`: retrieval micro-benchmarks on the serving index, each figure with its baseline measured in
the same run (medians over repeats; these machines are noisy). Writes bench/RESULTS.md.

Preliminary (issue 8 is open): BM25 (ours vs rank-bm25 BM25Okapi vs bm25s, identical top-10 checked
against rank-bm25) and query embedding. The 100k/1M scale corpora, ANN recall, hybrid end-to-end and service
figures are still to come.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from app.config import get_settings
from indexing.embed import Encoder
from indexing.store import load_current
from indexing.text import tokenize

QUESTIONS = Path(__file__).resolve().parents[1] / "eval" / "data" / "medicationqa_single.jsonl"
OUT = Path(__file__).resolve().parent / "RESULTS.md"


def _median_ms(fn: object, queries: list[list[str]], repeats: int = 3) -> float:
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        for q in queries:
            fn(q)  # type: ignore[operator]
        runs.append((time.perf_counter() - t) * 1000 / len(queries))
    return statistics.median(runs)


def main() -> None:
    settings = get_settings()
    index = load_current(settings.index_dir, settings.index_name, with_dense=False)
    docs = [tokenize(c.index_text, c.lang) for c in index.chunks]
    questions = [json.loads(line)["dialogue"][-1]["content"] for line in QUESTIONS.open(encoding="utf-8")][:200]
    queries = [tokenize(q) for q in questions]
    rows: list[tuple[str, str, str]] = []

    ours = _median_ms(lambda q: index.bm25.search(q, 10), queries)
    from rank_bm25 import BM25Okapi

    okapi = BM25Okapi(docs)
    baseline = _median_ms(lambda q: np.argsort(-okapi.get_scores(q))[:10], queries[:50], repeats=1)
    same = 0
    for q in queries[:50]:
        scores = okapi.get_scores(q)
        expected = [int(i) for i in np.argsort(-scores, kind="stable")[:10] if scores[i] > 0]
        same += list(map(int, index.bm25.search(q, 10)[0])) == expected
    speedup = f"{baseline / ours:.0f}x faster than rank-bm25 ({baseline:.1f} ms)"
    rows.append(("BM25 top-10, ours", f"{ours:.3f} ms", speedup))
    rows.append(("BM25 top-10 identical to rank-bm25", f"{same}/50 queries", ""))
    try:
        import bm25s

        retriever = bm25s.BM25(method="robertson")
        retriever.index([d for d in docs])
        bm = _median_ms(lambda q: retriever.retrieve([q], k=10), queries)
        rows.append(("BM25 top-10, bm25s", f"{bm:.3f} ms", f"ours is {bm / ours:.1f}x faster"))
    except ImportError:
        rows.append(("BM25 top-10, bm25s", "not installed", "pip install bm25s to compare"))

    import torch

    encoder = Encoder(settings.embed.model, settings.embed.device)
    encoder.encode_query("warm up")
    per_threads = {}
    for threads in (torch.get_num_threads(), 1):
        torch.set_num_threads(threads)
        t = time.perf_counter()
        for q in questions[:100]:
            encoder.encode_query(q)
        per_threads[threads] = (time.perf_counter() - t) * 10
    default = max(per_threads)
    rows.append(
        (
            "query embedding, 1 torch thread (served)",
            f"{per_threads[1]:.1f} ms",
            f"{per_threads[default] / per_threads[1]:.2f}x the speed of {default} threads "
            f"({per_threads[default]:.1f} ms); 1 thread avoids oversubscription under concurrent load",
        )
    )

    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {sys.version.split()[0]}; "
        f"index {index.version} ({len(index.chunks)} chunks). Queries: MedicationQA dev questions.",
        "",
        "| figure | value | vs baseline |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
