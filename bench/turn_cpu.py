"""CPU per turn in-process (issue 18): the orchestrator a checkout's eval builds, over the MedicationQA bench
questions, one at a time, reporting per question

- the process's CPU (all threads: label_prefetch's reading ahead counts, time.process_time), measured 20 ms
  after the answer like bench.paired so a background thread's tail is in its question;
- the asking thread's CPU per stage (time.thread_time): what stands between the question and its answer.

Cheaper and steadier than bench.paired (no server, no HTTP) for telling whether a change moves work off the
turn's thread or removes it. Compare two checkouts by running each in turn, more than once:

    python -m bench.turn_cpu [--root /tmp/base] [--queries 120]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WARM_QUESTIONS = 5
TAIL_S = 0.02


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help="the checkout")
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--index-dir", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "index")
    args = parser.parse_args()
    os.environ.setdefault("CLINQA_INDEX_DIR", str(args.index_dir.resolve()))
    os.environ.setdefault("CLINQA_SEARCH_THREADS", "1")  # as the server runs
    os.environ.setdefault("CLINQA_REBUILD_WHEN_CORPUS_CHANGES", "false")
    root = str(args.root.resolve())
    sys.path.insert(0, root)
    for name in [m for m in sys.modules if m.split(".")[0] in ("app", "indexing", "eval", "bench")]:
        del sys.modules[name]  # this checkout's modules, not the ones that started this script
    os.chdir(root)
    from app.config import Settings
    from app.enums import Mode
    from app.pipeline.state import TurnRequest
    from bench.common import load_questions
    from eval.runtime import load_orchestrator

    orchestrator = load_orchestrator(Settings())
    stage_cpu: dict[str, list[float]] = {}

    def timed(run: Callable[[Any], Any], name: str) -> Callable[[Any], Any]:
        def wrapper(state: Any) -> Any:
            t = time.thread_time()
            try:
                return run(state)
            finally:
                stage_cpu.setdefault(name, []).append((time.thread_time() - t) * 1000)
        return wrapper

    for stage in orchestrator.stages(Mode.DRR):
        stage.run = timed(stage.run, stage.name)  # type: ignore[method-assign]
    questions = load_questions(args.queries + WARM_QUESTIONS)
    for q in questions[:WARM_QUESTIONS]:
        orchestrator.answer(TurnRequest(q, [], Mode.DRR))
    stage_cpu.clear()
    process: list[float] = []
    thread: list[float] = []
    for q in questions[WARM_QUESTIONS:]:
        p, t = time.process_time(), time.thread_time()
        orchestrator.answer(TurnRequest(q, [], Mode.DRR))
        thread.append((time.thread_time() - t) * 1000)
        time.sleep(TAIL_S)
        process.append((time.process_time() - p) * 1000)
    print(json.dumps({
        "root": root, "questions": len(process),
        "cpu_p50_ms": round(statistics.median(process), 1), "cpu_mean_ms": round(statistics.mean(process), 1),
        "turn_thread_p50_ms": round(statistics.median(thread), 1),
        "stages_thread_p50_ms": {k: round(statistics.median(v), 1) for k, v in stage_cpu.items()
                                 if statistics.median(v) >= 0.1},
    }))


if __name__ == "__main__":
    main()
