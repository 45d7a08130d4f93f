"""What every benchmark section shares: timing helpers and the rows that end up in bench/RESULTS.md.

Each section module exposes `run(options: BenchOptions) -> Section`; bench/run.py calls them in turn and
writes one report. Every figure carries the baseline it was measured against in the same run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "eval" / "data" / "medicationqa_single.jsonl"
WORK_DIR = ROOT / "data" / "bench"


@dataclass(frozen=True)
class BenchOptions:
    scales: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    repeats: int = 3
    queries: int = 200
    work_dir: Path = WORK_DIR
    quick: bool = False


@dataclass
class Row:
    figure: str
    value: str
    versus: str = ""


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: str, value: str, versus: str = "") -> None:
        self.rows.append(Row(figure, value, versus))

    def markdown(self) -> str:
        lines = [f"## {self.title}", ""]
        if self.rows:
            lines += ["| figure | value | vs baseline (same run) |", "|---|---|---|"]
            lines += [f"| {r.figure} | {r.value} | {r.versus} |" for r in self.rows]
        if self.notes:
            lines += ["", *[f"- {n}" for n in self.notes]]
        return "\n".join(lines) + "\n"


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile, p in [0, 100]."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latencies_ms(fn: Callable[[T], object], items: Sequence[T], repeats: int = 3) -> list[float]:
    """Per-item latency in ms; each item's figure is the median over `repeats` passes (noisy machines)."""
    per_item: list[list[float]] = [[] for _ in items]
    for _ in range(repeats):
        for i, item in enumerate(items):
            t = time.perf_counter()
            fn(item)
            per_item[i].append((time.perf_counter() - t) * 1000)
    return [statistics.median(xs) for xs in per_item]


def ratio(baseline: float, ours: float) -> str:
    """'12.3x faster' / '0.8x (slower)' for latencies where lower is better."""
    if ours <= 0:
        return "n/a"
    r = baseline / ours
    return f"{r:.1f}x faster" if r >= 1 else f"{r:.2f}x (slower)"


def load_questions(limit: int) -> list[str]:
    import json

    out: list[str] = []
    with QUESTIONS.open(encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line)["dialogue"][-1]["content"])
            if len(out) >= limit:
                break
    return out
