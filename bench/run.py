"""`make bench`: every benchmark section in turn, one report in bench/RESULTS.md.

Each figure carries its baseline measured in the same run (these machines are noisy: figures are medians
over repeats). Sections: retrieval at 10k/100k/1M chunks (BM25, dense ANN, hybrid, Haystack), the
encoder (query latency, bulk throughput, ONNX/int8 quality) and the service (/v1/chat latency, throughput,
memory). Scale corpora and their indexes are cached under data/bench/.

    python -m bench.run [--scales 10000,100000,1000000] [--only retrieval,encoder,service] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.metadata
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from bench.common import ROOT, BenchOptions, Section

OUT = Path(__file__).resolve().parent / "RESULTS.md"
SECTIONS = ("retrieval", "encoder", "service")
PACKAGES = (
    "numpy",
    "scipy",
    "torch",
    "sentence-transformers",
    "onnxruntime",
    "faiss-cpu",
    "rank-bm25",
    "bm25s",
    "haystack-ai",
    "fastapi",
    "uvicorn",
    "sqlalchemy",
)


def core_speed_gflops() -> float:
    """One core's float32 matrix-multiply rate on a query-sized product (16x384 by 384x1536, as in the
    encoder): this VM's speed moves with its neighbours (40 to 63 GFLOPS within one day), so RESULTS.md
    records it at the start and the end of a run to tell a slow machine from a slow change."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    a = np.random.default_rng(0).random((16, 384), dtype=np.float32)
    w = np.random.default_rng(1).random((384, 1536), dtype=np.float32)
    rates = []
    with threadpool_limits(1):
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(500):
                a @ w
            rates.append(2 * 16 * 384 * 1536 * 500 / (time.perf_counter() - t) / 1e9)
    return sorted(rates)[len(rates) // 2]


def machine() -> list[str]:
    cpu = platform.processor() or "cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return [
        f"- Machine: {cpu}, {os.cpu_count()} logical cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, {platform.system()} {platform.release()}; "
        f"{_gpu()}.",
        f"- Python {sys.version.split()[0]}; " + ", ".join(versions) + ".",
        f"- Commit {commit or 'unknown'}; run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.",
    ]


def _gpu() -> str:
    try:
        import torch

        if torch.cuda.is_available():
            return f"GPU {torch.cuda.get_device_name(0)}"
    except Exception:  # a broken CUDA set-up reads as no GPU
        pass
    return "no GPU: every figure is CPU"


def _section_runner(name: str) -> Callable[[BenchOptions], Section | list[Section]]:
    module = importlib.import_module(f"bench.{name}")
    runner: Callable[[BenchOptions], Section | list[Section]] = module.run
    return runner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,100000,1000000", help="corpus sizes in chunks")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections, of {', '.join(SECTIONS)}")
    parser.add_argument("--quick", action="store_true", help="fewer queries and requests (a smoke run)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    options = BenchOptions(scales=tuple(int(s) for s in args.scales.split(",") if s), quick=args.quick)
    sections: list[Section] = []
    timings: list[str] = []
    speed_before = core_speed_gflops()
    for name in [s.strip() for s in args.only.split(",") if s.strip()]:
        if name not in SECTIONS:
            parser.error(f"unknown section {name!r}; choose from {', '.join(SECTIONS)}")
        started = time.perf_counter()
        result = _section_runner(name)(options)
        sections.extend(result if isinstance(result, list) else [result])
        timings.append(f"{name} {time.perf_counter() - started:.0f} s")
        print(f"[bench] {name} done in {time.perf_counter() - started:.0f} s", flush=True)
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench.run`); every ratio is against a baseline measured in the",
        "same run on the same machine. Targets are the ones in the performance issue (2 CPU cores).",
        "",
        *machine(),
        f"- Sections and their wall time: {'; '.join(timings)}.",
        f"- One core's float32 GEMM rate (query-sized): {speed_before:.1f} GFLOPS at the start, "
        f"{core_speed_gflops():.1f} at the end (this VM's speed moves with its neighbours; compare runs by it).",
        "",
        *[s.markdown() for s in sections],
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
