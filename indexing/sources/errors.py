"""Errors raised by loaders: always name the file and line so a user can fix the input."""

from __future__ import annotations

import json
from pathlib import Path


class CorpusError(ValueError):
    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


def bad_json_line(path: str | Path, line: int, exc: json.JSONDecodeError) -> CorpusError:
    return CorpusError(path, line, f"invalid JSON: {exc.msg} (column {exc.colno})")
