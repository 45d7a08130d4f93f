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

    python -m bench.paired --baseline /tmp/base --candidate . [--candidate /tmp/other ...] [--repeats 3] [--queries 200]

With several candidates each repeat runs the baseline, then each candidate in the order given, and each gets
its ratios to the baseline of its repeat. `--interleave`: all servers up at once and each question sent to each
in turn (the first rotating), so the neighbours' load at that moment falls on all alike; per repeat, each
checkout's p50, the ratio of p50s, the median of the per-question ratios, and the CPU per request ratio.

Each checkout that has a reader sentence store (app.pipeline.sentence_store) gets its store written for the served
version before anything is measured (as `clinqa index build` writes it); a server would otherwise write it in
the background while it is measured.

Make the baseline a clone of the earlier commit with this checkout's .venv linked into it:
`git clone -q . /tmp/base && git -C /tmp/base checkout -q d094a85 && ln -s "$PWD/.venv" /tmp/base/.venv`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
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


def server_env(root: Path, index_dir: Path, tmp: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({
        "CLINQA_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
        "CLINQA_INDEX_DIR": str(index_dir),
        "CLINQA_BUILD_ON_START": "false",
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": str(root),
    })
    return env


def write_sentence_store(root: Path, index_dir: Path) -> None:
    """Before measuring, each checkout's sentence store (app.pipeline.sentence_store, where it has one) for the
    served version: a server would otherwise write it in the background during the measured requests."""
    if not (root / "app" / "pipeline" / "sentence_store.py").is_file():
        return
    version = (index_dir / "medicines" / "CURRENT").read_text().strip()
    subprocess.run([str(root / ".venv" / "bin" / "python"), "-m", "app.pipeline.sentence_store",
                    str(index_dir / "medicines" / version), str(os.cpu_count() or 1)],
                   cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, check=True)


def one_run(label: str, root: Path, questions: list[str], index_dir: Path) -> PairedRun:
    with tempfile.TemporaryDirectory(prefix="clinqa-paired-") as tmp:
        env = server_env(root, index_dir, tmp)
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


def interleaved(roots: list[Path], questions: list[str], index_dir: Path) -> list[tuple[list[float], list[float]]]:
    """Every checkout's server up at once; each question sent to each in turn, the first one rotating, so the
    machine's load at that moment falls on all alike. (wall ms, server CPU ms) per question, per checkout."""
    with contextlib.ExitStack() as stack:
        servers = []
        for root in roots:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="clinqa-paired-"))
            base, proc = stack.enter_context(server_process(server_env(root, index_dir, tmp), free_port(),
                                                            timeout=900, root=root))
            http = stack.enter_context(httpx.Client(base_url=base, timeout=60))
            for q in questions[:WARM_QUESTIONS]:
                http.post("/v1/chat", json={"message": q}).raise_for_status()
            servers.append((http, proc.pid))
        out: list[tuple[list[float], list[float]]] = [([], []) for _ in roots]
        for n, q in enumerate(questions):
            for i in [(n + k) % len(roots) for k in range(len(roots))]:
                http, pid = servers[i]
                before = server_cpu_ms(pid)
                t = time.perf_counter()
                response = http.post("/v1/chat", json={"message": q})
                out[i][0].append((time.perf_counter() - t) * 1000)
                time.sleep(TAIL_S)
                out[i][1].append(server_cpu_ms(pid) - before)
                response.raise_for_status()
        return out


def report_interleaved(roots: list[Path], runs: list[tuple[list[float], list[float]]]) -> None:
    base_wall, base_cpu = runs[0]
    for root, (wall, cpu) in zip(roots, runs, strict=True):
        per_q = [w / b for w, b in zip(wall, base_wall, strict=True)]
        print(json.dumps({"root": str(root), "p50_ms": round(statistics.median(wall), 1),
                          "cpu_p50_ms": round(statistics.median(cpu), 1),
                          "p50_ratio": round(statistics.median(wall) / statistics.median(base_wall), 2),
                          "per_question_ratio_p50": round(statistics.median(per_q), 2),
                          "cpu_ratio": round(statistics.median(cpu) / statistics.median(base_cpu), 2),
                          "load1": round(os.getloadavg()[0], 1)}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the earlier checkout (A)")
    parser.add_argument("--candidate", type=Path, action="append",
                        help="a checkout measured against it (B; repeat the option for several; default: this one)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--index-dir", type=Path, default=ROOT / "data" / "index")
    parser.add_argument("--interleave", action="store_true",
                        help="all servers up at once, each question to each in turn (a loaded machine's swings "
                             "fall on all alike); each repeat reports its ratios")
    args = parser.parse_args()
    questions = load_questions(args.queries)
    candidates = [c.resolve() for c in (args.candidate or [ROOT])]
    for root in (args.baseline.resolve(), *candidates):
        write_sentence_store(root, args.index_dir.resolve())
    if args.interleave:
        roots = [args.baseline.resolve(), *candidates]
        for _ in range(args.repeats):
            report_interleaved(roots, interleaved(roots, questions, args.index_dir.resolve()))
        return
    repeats: list[tuple[PairedRun, list[PairedRun]]] = []
    for _ in range(args.repeats):
        a = one_run("baseline", args.baseline.resolve(), questions, args.index_dir.resolve())
        runs = [one_run(f"candidate {c}" if len(candidates) > 1 else "candidate", c, questions,
                        args.index_dir.resolve()) for c in candidates]
        repeats.append((a, runs))
        for run in (a, *runs):
            print(json.dumps({"label": run.label, "p50_ms": round(run.p50_ms, 1),
                              "cpu_p50_ms": round(run.cpu_p50_ms, 1), "cpu_mean_ms": round(run.cpu_mean_ms, 1),
                              "load1": round(os.getloadavg()[0], 1), "stages_ms": run.stages_ms}), flush=True)
    for i, c in enumerate(candidates):
        wall = [runs[i].p50_ms / a.p50_ms for a, runs in repeats]
        cpu = [runs[i].cpu_p50_ms / a.cpu_p50_ms for a, runs in repeats]
        named = f" {c}" if len(candidates) > 1 else ""
        print(f"p50 ratio (candidate{named} / baseline) per pair {[round(r, 2) for r in wall]}, mean "
              f"{statistics.mean(wall):.2f}, median {statistics.median(wall):.2f}; server CPU per request ratio "
              f"{[round(r, 2) for r in cpu]}, mean {statistics.mean(cpu):.2f}, median {statistics.median(cpu):.2f}")

if __name__ == "__main__":
    main()
