"""Paired single-client A/B of /v1/chat between two checkouts (issue 18: "p50 of /v1/chat within 1.5x of a
baseline commit, same run").

On a shared 2-core machine one server run's p50 moves by 1.5-2x with the neighbours' load, so one figure per
checkout says little. Each repeat starts a fresh server of each checkout in turn (A, B, A, B, ...: the pair
shares the machine's state), sends the first 5 questions once unmeasured, then the MedicationQA questions
one at a time, and reports per run:

- p50 of the client's wall time per request;
- the server's CPU per request (all its threads, from /proc/<pid>/task/*/schedstat read before and after
  each request, 20 ms after the response so a background thread's tail counts): far less load-dependent
  than wall time, it says how much work a request costs;
- the medians of the server's own stage timings.

and each pair's ratio (B / A), then their mean. Both checkouts serve the same index directory with
CLINQA_REBUILD_WHEN_CORPUS_CHANGES=false (bench.server), so a checkout whose corpus file differs from the
index's neither rebuilds nor swaps it.

    python -m bench.paired --baseline /tmp/base --candidate . [--repeats 3] [--queries 200]

Make the baseline a clone of the earlier commit with this checkout's .venv linked into it:
`git clone -q . /tmp/base && git -C /tmp/base checkout -q d094a85 && ln -s "$PWD/.venv" /tmp/base/.venv`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.common import ROOT, load_questions
from bench.server import free_port, server_process

WARM_QUESTIONS = 5
# After each response: what a background thread of that request (label_prefetch) still does is its cost too.
TAIL_S = 0.02


@dataclass
class PairedRun:
    label: str
    p50_ms: float
    cpu_p50_ms: float
    cpu_mean_ms: float
    stages_ms: dict[str, float] = field(default_factory=dict)


def server_cpu_ms(pid: int) -> float:
    """CPU time of every thread of the process so far (ns resolution; /proc/<pid>/stat counts 10 ms ticks)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError, ValueError, IndexError):  # a thread that ended meanwhile
            total += int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
    return total / 1e6


def one_run(label: str, root: Path, questions: list[str], index_dir: Path) -> PairedRun:
    with tempfile.TemporaryDirectory(prefix="clinqa-paired-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
        env.update({
            "CLINQA_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "CLINQA_INDEX_DIR": str(index_dir),
            "CLINQA_BUILD_ON_START": "false",
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(root),
        })
        wall: list[float] = []
        cpu: list[float] = []
        stages: dict[str, list[float]] = {}
        with server_process(env, free_port(), timeout=900, root=root) as (base, proc), \
                httpx.Client(base_url=base, timeout=60) as http:
            for q in questions[:WARM_QUESTIONS]:
                http.post("/v1/chat", json={"message": q}).raise_for_status()
            for q in questions:
                before = server_cpu_ms(proc.pid)
                t = time.perf_counter()
                response = http.post("/v1/chat", json={"message": q})
                wall.append((time.perf_counter() - t) * 1000)
                time.sleep(TAIL_S)
                cpu.append(server_cpu_ms(proc.pid) - before)
                response.raise_for_status()
                timings = (response.json().get("audit") or {}).get("timings_ms") or {}
                for stage, ms in timings.items():
                    if "." not in stage:
                        stages.setdefault(stage, []).append(float(ms))
    return PairedRun(label, statistics.median(wall), statistics.median(cpu), statistics.mean(cpu),
                     {s: round(statistics.median(v), 1) for s, v in stages.items() if statistics.median(v) >= 0.1})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the earlier checkout (A)")
    parser.add_argument("--candidate", type=Path, default=ROOT, help="the checkout measured against it (B)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--index-dir", type=Path, default=ROOT / "data" / "index")
    args = parser.parse_args()
    questions = load_questions(args.queries)
    pairs: list[tuple[PairedRun, PairedRun]] = []
    for _ in range(args.repeats):
        a = one_run("baseline", args.baseline.resolve(), questions, args.index_dir.resolve())
        b = one_run("candidate", args.candidate.resolve(), questions, args.index_dir.resolve())
        pairs.append((a, b))
        for run in (a, b):
            print(json.dumps({"label": run.label, "p50_ms": round(run.p50_ms, 1),
                              "cpu_p50_ms": round(run.cpu_p50_ms, 1), "cpu_mean_ms": round(run.cpu_mean_ms, 1),
                              "load1": round(os.getloadavg()[0], 1), "stages_ms": run.stages_ms}), flush=True)
    wall = [b.p50_ms / a.p50_ms for a, b in pairs]
    cpu = [b.cpu_p50_ms / a.cpu_p50_ms for a, b in pairs]
    print(f"p50 ratio (candidate / baseline) per pair {[round(r, 2) for r in wall]}, mean {statistics.mean(wall):.2f}; "
          f"server CPU per request ratio {[round(r, 2) for r in cpu]}, mean {statistics.mean(cpu):.2f}")


if __name__ == "__main__":
    main()
