"""Load test: N chat requests from C concurrent clients against a running clinqa server.

    clinqa serve --port 8000 &                       # extractive reader (the default)
    python -m bench.load --base http://127.0.0.1:8000 --requests 2000 --clients 32

Clients hold the conversations of the MedicationQA evaluation sets (multi-turn dialogues' user turns and
single questions, alternating), so most requests are questions the server has not seen before. Reports throughput,
latency percentiles and every error; the tests run a 300-request version (tests/e2e/test_openai_and_load.py)
and count the stored messages afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

EVAL_DATA = Path(__file__).resolve().parents[1] / "eval" / "data"
# Used when the evaluation sets are not there (an installed package without the repository).
FALLBACK_SCRIPTS = [
    ("I was put on warfarin last week.", "Can I take it with ibuprofen?", "Is it safe for elderly patients?"),
    ("What is metformin used for?", "What is the usual dose?", "What are the side effects?"),
    ("Tell me about amoxicillin.", "Can I take it while pregnant?", "Any interactions with warfarin?"),
    ("What is omeprazole for?", "How long can I take it?", "Can I take it with clopidogrel?"),
]


def conversation_scripts() -> list[tuple[str, ...]]:
    """The user turns of the MedicationQA multi-turn dialogues, alternating with single-question
    conversations, so most requests carry a question (and a query embedding) the server has not seen."""
    multi = EVAL_DATA / "medicationqa_multiturn.jsonl"
    single = EVAL_DATA / "medicationqa_single.jsonl"
    if not (multi.is_file() and single.is_file()):
        return list(FALLBACK_SCRIPTS)

    def user_turns(path: Path) -> list[tuple[str, ...]]:
        with path.open(encoding="utf-8") as fh:
            return [
                tuple(t["content"] for t in json.loads(line)["dialogue"] if t["role"] == "user")
                for line in fh
                if line.strip()
            ]

    scripts: list[tuple[str, ...]] = []
    for pair in zip(user_turns(multi), user_turns(single), strict=False):
        scripts.extend(pair)
    return scripts


@dataclass
class LoadResult:
    requests: int
    clients: int
    ok: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    # the server's own per-stage timings (the answer's audit), one list per stage
    stages_ms: dict[str, list[float]] = field(default_factory=dict)
    conversations: set[str] = field(default_factory=set)
    wall_s: float = 0.0

    def summary(self) -> str:
        lat = sorted(self.latencies_ms) or [0.0]

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, int(p * len(lat)))]

        return (
            "| requests | clients | ok | errors | wall s | req/s | p50 ms | p95 ms | p99 ms | max ms |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            f"| {self.requests} | {self.clients} | {self.ok} | {len(self.errors)} | {self.wall_s:.1f} | "
            f"{self.ok / max(self.wall_s, 1e-9):.1f} | {statistics.median(lat):.0f} | {pct(0.95):.0f} | "
            f"{pct(0.99):.0f} | {lat[-1]:.0f} |"
        )


    def stage_medians(self) -> dict[str, float]:
        return {stage: statistics.median(ms) for stage, ms in self.stages_ms.items() if ms}


async def run_load(
    base: str, requests: int = 2000, clients: int = 32, timeout: float = 120.0,
    scripts: list[tuple[str, ...]] | None = None,
) -> LoadResult:
    result = LoadResult(requests, clients)
    counter = iter(range(requests))
    scripts = scripts or conversation_scripts()
    next_script = iter(itertools.cycle(range(len(scripts))))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(worker: int, http: httpx.AsyncClient) -> None:
        conv: str | None = None
        turn = 0
        script = scripts[next(next_script)]
        for _ in counter:
            body: dict[str, object] = {"message": script[turn]}
            if conv is not None:
                body["conversation_id"] = conv
            t0 = time.perf_counter()
            try:
                r = await http.post(f"{base}/v1/chat", json=body)
            except httpx.HTTPError as exc:
                result.errors.append(f"{type(exc).__name__}: {exc}")
                conv, turn = None, 0
                continue
            result.latencies_ms.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200:
                result.errors.append(f"HTTP {r.status_code}: {r.text[:200]}")
                conv, turn = None, 0
                continue
            result.ok += 1
            reply = r.json()
            conv = reply["conversation_id"]
            result.conversations.add(conv)
            for stage, ms in ((reply.get("audit") or {}).get("timings_ms") or {}).items():
                result.stages_ms.setdefault(stage, []).append(float(ms))
            turn = (turn + 1) % len(script)
            if turn == 0:
                conv, script = None, scripts[next(next_script)]

    t0 = time.perf_counter()
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    result.wall_s = time.perf_counter() - t0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    result = asyncio.run(run_load(args.base, args.requests, args.clients))
    print(result.summary())
    print("server-side stage medians (ms):", ", ".join(f"{k} {v:.2f}" for k, v in result.stage_medians().items()))
    for err in result.errors[:20]:
        print("error:", err)
    raise SystemExit(1 if result.errors else 0)


if __name__ == "__main__":
    main()
