"""Line-oriented JSON files and file hashes, shared by every loader (corpora, records, eval sets)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def iter_json_lines(
    path: Path,
    on_bad_json: Callable[[int, json.JSONDecodeError], Exception],
    skip_comments: bool = False,
) -> Iterator[tuple[int, Any]]:
    """(1-based line number, decoded value) for every non-blank line; a line that is not JSON raises what
    `on_bad_json` builds from its number and the decoder's error, so each loader keeps its own wording."""
    with path.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, start=1):
            text = raw.strip()
            if not text or (skip_comments and text.startswith("#")):
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise on_bad_json(lineno, exc) from None
            yield lineno, value


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
