"""Streaming readers for label files: JSON lines, one JSON document holding a list of records (openFDA's
`{"meta": ..., "results": [...]}`), and zip archives of either. Each record comes with its position (file,
line or list index, character offset), and at most one record (plus one read block) is held in memory.

A record that cannot be decoded is reported through a `LoadReport` (counted, with its position) and the
reader continues where it can: with the next line of a JSON-lines file, or with the next file when a list
document is broken mid-way (its later records cannot be found without the broken one's end).
"""

from __future__ import annotations

import codecs
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from indexing.sources.errors import CorpusError

READ_BLOCK = 1 << 20
# A single record larger than this is treated as a broken file rather than read on without bound.
MAX_RECORD_BYTES = 64 << 20

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class Position:
    """Where a record is: a file (`archive.zip!member.json` inside an archive) and, as known, its line (JSON
    lines), its index in the document's record list, and the offset where it starts (characters of the
    decoded text; the same as bytes for openFDA's ASCII-escaped JSON)."""

    path: str
    line: int | None = None
    index: int | None = None
    offset: int | None = None

    def __str__(self) -> str:
        out = self.path
        if self.line is not None:
            out += f":{self.line}"
        if self.index is not None:
            out += f" record {self.index}"
        if self.offset is not None:
            out += f" (offset {self.offset})"
        return out


@dataclass(frozen=True, slots=True)
class Problem:
    position: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.position}: {self.kind}: {self.message}"


@dataclass
class LoadReport:
    """Everything a load skipped or changed, counted by kind and listed with positions. `strict` turns the
    first problem into a CorpusError instead."""

    strict: bool = False
    problems: list[Problem] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def warn(self, position: Position | str, kind: str, message: str) -> None:
        if self.strict:
            pos = position if isinstance(position, Position) else Position(str(position))
            raise CorpusError(str(pos), None, f"{kind}: {message}")
        self.problems.append(Problem(str(position), kind, message))
        self.counts[kind] += 1

    def note(self, kind: str, n: int = 1) -> None:
        """Count something that is not a problem with a record (e.g. an unknown heading mapped to other)."""
        self.counts[kind] += n


class StreamError(Exception):
    def __init__(self, byte: int, message: str) -> None:
        super().__init__(message)
        self.byte = byte
        self.message = message


class _Reader:
    """Incrementally decoded UTF-8 text over a binary stream, with the character offset of the buffer start
    (a decoding error is placed by its byte offset instead)."""

    def __init__(self, fh: IO[bytes], block: int = READ_BLOCK) -> None:
        self.fh = fh
        self.block = block
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.bytes_read = 0
        self.base_chars = 0

    def fill(self) -> bool:
        if self.eof:
            return False
        raw = self.fh.read(self.block)
        try:
            text = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise StreamError(self.bytes_read + max(exc.start, 0), f"not UTF-8 text ({exc.reason})") from None
        self.bytes_read += len(raw)
        if not raw:
            self.eof = True
        if self.pos:
            self.base_chars += self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        if len(self.buf) + len(text) > MAX_RECORD_BYTES:
            raise StreamError(self.offset(), f"a record longer than {MAX_RECORD_BYTES} characters")
        self.buf += text
        return bool(raw)

    def offset(self) -> int:
        return self.base_chars + self.pos

    def peek(self) -> str:
        while True:
            m = _WS.match(self.buf, self.pos)
            self.pos = m.end() if m else self.pos
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def expect(self, chars: str) -> str:
        ch = self.peek()
        if not ch or ch not in chars:
            found = repr(ch) if ch else "end of file"
            raise StreamError(self.offset(), f"expected one of {chars!r}, found {found}")
        self.pos += 1
        return ch

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # an error within the last few characters (a cut escape, number or keyword) or an open
                # string may just be the end of the block; anything earlier is broken input
                truncated = exc.pos >= len(self.buf) - 8 or exc.msg.startswith("Unterminated string")
                if truncated and self.fill():
                    continue
                raise StreamError(self.base_chars + exc.pos, f"invalid JSON: {exc.msg}") from None
            # a number may continue in the next block
            if end == len(self.buf) and not self.eof and self.fill():
                continue
            self.pos = end
            return value


def iter_json_records(fh: IO[bytes], block: int = READ_BLOCK) -> Iterator[tuple[int, int, Any]]:
    """(index, character offset, record) for each record of one JSON document: the elements of its
    `results` list (openFDA API answers and bulk files), of a top-level list, or the document itself when it
    is an object without `results`. Raises StreamError on broken input."""
    r = _Reader(fh, block)
    first = r.peek()
    if first == "[":
        r.pos += 1
        yield from _iter_list(r)
    elif first == "{":
        start = r.offset()
        r.pos += 1
        fields: dict[str, Any] = {}
        found = False
        if r.peek() == "}":
            r.pos += 1
        else:
            while True:
                key = r.value()
                if not isinstance(key, str):
                    raise StreamError(r.offset(), "expected an object key")
                r.expect(":")
                if key == "results" and r.peek() == "[":
                    r.pos += 1
                    found = True
                    yield from _iter_list(r)
                else:
                    fields[key] = r.value()
                if r.expect(",}") == "}":
                    break
        if not found:
            yield 0, start, fields
    elif first == "":
        return
    else:
        raise StreamError(r.offset(), f"expected a JSON object or list, found {first!r}")
    if r.peek():
        raise StreamError(r.offset(), "extra data after the JSON document")


def _iter_list(r: _Reader) -> Iterator[tuple[int, int, Any]]:
    if r.peek() == "]":
        r.pos += 1
        return
    index = 0
    while True:
        start = r.offset()
        yield index, start, r.value()
        index += 1
        if r.expect(",]") == "]":
            return


def iter_json_lines_stream(fh: IO[bytes]) -> Iterator[tuple[int, Any | Exception]]:
    """(line number, record or the error that line raised) for each non-blank line."""
    for lineno, raw in enumerate(fh, start=1):
        try:
            text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8").strip()
        except UnicodeDecodeError as exc:
            yield lineno, ValueError(f"not UTF-8 text at column {exc.start + 1}")
            continue
        if not text:
            continue
        try:
            yield lineno, json.loads(text)
        except json.JSONDecodeError as exc:
            yield lineno, ValueError(f"invalid JSON: {exc.msg} (column {exc.colno})")


JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def expand_paths(paths: Iterable[str | Path], suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Files named directly, and files with one of `suffixes` (or .zip) under folders, sorted."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(
                f for f in p.rglob("*") if f.is_file() and (f.suffix.lower() in suffixes or _is_zip(f))
            )
        elif p.is_file():
            yield p
        else:
            raise CorpusError(p, None, "no such file or directory")


def _records_of(fh: IO[bytes], where: str, jsonl: bool, report: LoadReport) -> Iterator[tuple[Position, Any]]:
    if jsonl:
        for lineno, value in iter_json_lines_stream(fh):
            if isinstance(value, Exception):
                report.warn(Position(where, line=lineno), "bad record", str(value))
            else:
                yield Position(where, line=lineno), value
        return
    read = 0
    try:
        for index, offset, value in iter_json_records(fh):
            read += 1
            yield Position(where, index=index, offset=offset), value
    except StreamError as exc:
        report.warn(
            Position(where, index=read, offset=exc.byte),
            "broken file",
            f"{exc.message}; {read} records read before it, the rest of this file is skipped",
        )


def iter_json_file_records(
    paths: Iterable[str | Path], report: LoadReport
) -> Iterator[tuple[Position, Any]]:
    """Every record of JSON / JSON-lines files, folders of them and zip archives of them (openFDA bulk
    parts `drug-label-0001-of-0013.json.zip`). A `.jsonl`/`.ndjson` file holds one record a line."""
    for path in expand_paths(paths, JSON_SUFFIXES):
        if _is_zip(path):
            try:
                archive = zipfile.ZipFile(path)
            except zipfile.BadZipFile as exc:
                report.warn(Position(str(path)), "broken file", f"not a zip archive ({exc})")
                continue
            with archive:
                for info in archive.infolist():
                    if info.is_dir():
                        continue
                    suffix = Path(info.filename).suffix.lower()
                    where = f"{path}!{info.filename}"
                    if suffix not in JSON_SUFFIXES:
                        report.warn(Position(where), "ignored file", "not JSON (by its name)")
                        continue
                    with archive.open(info) as fh:
                        yield from _records_of(fh, where, suffix != ".json", report)
        else:
            with path.open("rb") as fh:
                yield from _records_of(fh, str(path), path.suffix.lower() in (".jsonl", ".ndjson"), report)
