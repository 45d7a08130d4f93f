"""Read patient records from JSONL files in the docs/architecture.md record format, one record a line.

A malformed line stops the import with `file:line: message`, before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from app.records.errors import RecordFormatError
from app.records.model import Record
from app.records.schema import RecordLine
from indexing.jsonl import iter_json_lines


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ())) or "record"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def read_jsonl(path: Path) -> Iterator[Record]:
    """Records of one file, in order; blank lines and lines starting with # are skipped."""
    def bad_json(line_no: int, exc: json.JSONDecodeError) -> RecordFormatError:
        return RecordFormatError(f"{path}:{line_no}: not valid JSON ({exc.msg})")

    for line_no, data in iter_json_lines(path, bad_json, skip_comments=True):
        if not isinstance(data, dict):
            raise RecordFormatError(f"{path}:{line_no}: expected a JSON object, got {type(data).__name__}")
        try:
            parsed = RecordLine.model_validate(data)
        except ValidationError as exc:
            raise RecordFormatError(f"{path}:{line_no}: {_describe(exc)}") from exc
        yield parsed.to_record(parsed.patient_id)


def jsonl_files(path: Path) -> list[Path]:
    """The file itself, or the *.jsonl files of a directory (sorted)."""
    if path.is_dir():
        return sorted(p for p in path.glob("*.jsonl") if p.is_file())
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file or directory")
    return [path]


def read_records(path: Path) -> list[Record]:
    """Every record under `path` (a file or a directory of *.jsonl), validated in full before returning."""
    records: list[Record] = []
    for file in jsonl_files(path):
        records.extend(read_jsonl(file))
    return records
