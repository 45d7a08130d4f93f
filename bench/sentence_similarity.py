"""The reader's sentence-similarity feature (app/pipeline/sentence_similarity.py): `/v1/chat` single-client
latency with and without it, in the same run. Two servers over the same index (one with
CLINQA_READ__SENTENCE_WEIGHT=0), each question asked of both in turn, so the neighbours' load on this VM
moves both figures alike; the ratio of the p50s is the feature's cost.

The questions are the last user turns of answer/consultation sets whose labels have sentence vectors in the
index (the feature only costs where it runs); `--index-dir` names an index built with them.

    python -m bench.sentence_similarity --index-dir /tmp/idx [--data eval/data/answers_tune.jsonl ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench.common import ROOT, percentile
from bench.service import SingleClient, serving

DEFAULT_DATA = (ROOT / "eval" / "data" / "answers_tune.jsonl",
                ROOT / "eval" / "data" / "consult_handwritten_tune.jsonl")


def last_questions(paths: list[Path]) -> list[str]:
    out: list[str] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                item = json.loads(line)
                turns = [t["content"] for t in item.get("dialogue", []) if t.get("role") == "user"]
                if not turns:
                    raise ValueError(f"{path}:{n}: no user turn")
                out.append(turns[-1])
    return out


def alternate(bases: dict[str, str], questions: list[str], rounds: int) -> dict[str, SingleClient]:
    """Each question to every server in turn (the order flipped each round), after 5 warm-up questions."""
    out = {name: SingleClient() for name in bases}
    clients = {name: httpx.Client(base_url=base, timeout=60) for name, base in bases.items()}
    try:
        for q in questions[:5]:
            for http in clients.values():
                http.post("/v1/chat", json={"message": q}).raise_for_status()
        order = list(bases)
        for r in range(rounds):
            for q in questions:
                for name in order if r % 2 == 0 else reversed(order):
                    result = out[name]
                    start = time.perf_counter()
                    response = clients[name].post("/v1/chat", json={"message": q})
                    result.latencies_ms.append((time.perf_counter() - start) * 1000)
                    response.raise_for_status()
                    for stage, ms in (response.json().get("audit", {}).get("timings_ms") or {}).items():
                        result.stages_ms.setdefault(stage, []).append(float(ms))
    finally:
        for http in clients.values():
            http.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sentence_similarity", description=__doc__)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--data", type=Path, nargs="*", default=list(DEFAULT_DATA))
    parser.add_argument("--weight", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    questions = last_questions(args.data)
    common = {"CLINQA_INDEX_DIR": str(args.index_dir)}
    configs = {"off": {**common, "CLINQA_READ__SENTENCE_WEIGHT": "0"},
               "on": {**common, "CLINQA_READ__SENTENCE_WEIGHT": str(args.weight)}}
    with ExitStack() as stack:
        bases = {name: stack.enter_context(serving(env)).base for name, env in configs.items()}
        runs = alternate(bases, questions, args.rounds)
    p50 = {name: statistics.median(r.latencies_ms) for name, r in runs.items()}
    print(f"{len(questions)} questions x {args.rounds} rounds, each server; weight {args.weight}")
    for name, r in runs.items():
        read_p95 = percentile(r.stages_ms.get("read", [0.0]), 95)
        print(f"{name}: /v1/chat p50 {p50[name]:.1f} ms, p95 {percentile(r.latencies_ms, 95):.1f} ms; "
              f"read stage median {r.stage('read'):.2f} ms, p95 {read_p95:.2f} ms")
    print(f"p50 ratio on/off: {p50['on'] / p50['off']:.3f}")


if __name__ == "__main__":
    main()
