"""results.jsonl: one JSON object per evaluated item, appended as each item finishes, so a run that is
interrupted (Ctrl-C, a crash, a lost machine) resumes where it stopped. run.json pins what the results
were computed against, so a resumed run never mixes two datasets or two index versions."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from indexing.jsonl import file_sha256 as file_sha256  # re-exported for the eval commands


class EvalError(RuntimeError):
    """A problem the user can act on (bad input, mismatched resume); the CLI prints it and exits 2."""




@dataclass
class EvalRun:
    """What an evaluation command produced: every result record, the summary, and the files written."""

    out: Path
    records: list[dict[str, Any]]
    summary: dict[str, Any]
    new: int = 0
    skipped: int = 0
    files: list[Path] = field(default_factory=list)


class ResultsFile:
    def __init__(self, out_dir: Path, key_fields: tuple[str, ...] = ("id",)) -> None:
        self.out_dir = out_dir
        self.path = out_dir / "results.jsonl"
        self.run_path = out_dir / "run.json"
        self.key_fields = key_fields
        self._fh: TextIO | None = None

    def key(self, record: dict[str, Any]) -> tuple[str, ...]:
        return tuple(str(record.get(f)) for f in self.key_fields)

    def prepare(self, pins: dict[str, Any], fresh: bool = False) -> None:
        """Create the folder; on resume check that `pins` (dataset hash, index version, ...) match."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        if fresh:
            self.path.unlink(missing_ok=True)
            self.run_path.unlink(missing_ok=True)
        if self.run_path.is_file() and self.path.is_file():
            previous = json.loads(self.run_path.read_text(encoding="utf-8")).get("pins", {})
            clash = {k: (previous.get(k), v) for k, v in pins.items() if k in previous and previous[k] != v}
            if clash:
                listed = "; ".join(f"{k}: was {a!r}, now {b!r}" for k, (a, b) in clash.items())
                raise EvalError(
                    f"{self.out_dir} holds results of another run ({listed}). "
                    "Use --fresh to start over or --out for another folder."
                )
        self.run_path.write_text(json.dumps({"pins": pins}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        self._repair()

    def _repair(self) -> None:
        """Drop a line left half-written by an interruption (and any other unreadable line)."""
        if not self.path.is_file():
            return
        raw = self.path.read_text(encoding="utf-8")
        good = []
        bad = 0
        for line in raw.splitlines():
            if not line.strip():
                continue
            try:
                json.loads(line)
            except json.JSONDecodeError:
                bad += 1
                continue
            good.append(line)
        if bad or (raw and not raw.endswith("\n")):
            tmp = self.path.with_suffix(".jsonl.tmp")
            tmp.write_text("".join(g + "\n" for g in good), encoding="utf-8")
            os.replace(tmp, self.path)

    def load(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            return []
        out = []
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except json.JSONDecodeError:
                        continue
        return out

    def done(self) -> set[tuple[str, ...]]:
        return {self.key(r) for r in self.load()}

    def append(self, record: dict[str, Any]) -> None:
        if self._fh is None:
            self._fh = self.path.open("a", encoding="utf-8")
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> ResultsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
