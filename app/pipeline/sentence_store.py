"""Every chunk's quotable sentences and their tokens, computed once per index version and reader version and
kept on disk beside the index: the reader's split and cleaning of a label it had not read before was most of a
turn's time (issue 18: 120 MedicationQA questions, a new label almost every question; p50 in-process 46 ms
with the split computed, 26 ms with it at hand), and label_prefetch could hide only part of it behind the
question's encoding.

The store is a SQLite file in the index's version directory, `reader-sentences-<fingerprint>.sqlite`: one row
per distinct chunk, keyed by a hash of what the split depends on (text, title, section, language; the same key
as label_prefetch's in-memory cache), with the medicine it belongs to so a label is read in one query. The
fingerprint hashes the reader's source (app/pipeline, the tokenizer) and the tokenizer libraries' versions: a
store written by other code is never read, so an upgrade, or a change to the reader during development, falls
back to computing the split per request (the old behaviour) until a store for this code is written. A hit is
therefore always the answer the split would compute; a miss costs one SQLite lookup per label.

Written by `clinqa index build` after publishing a version, and by a serving process for the version it loads
when the file is missing (app.services.indexes: in a thread for a small index, in a niced subprocess,
`python -m app.pipeline.sentence_store PATH`, for a large one). Written aside and renamed into place, so a
reader sees a whole file or none; the files of other fingerprints in that directory are removed then.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import sqlite3
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path

from indexing.schema import Chunk
from indexing.store import pid_alive

log = logging.getLogger(__name__)

ChunkSentences = tuple[tuple[int, str, frozenset[str]], ...]
StoredSentences = list[tuple[int, str, list[str]]]

PREFIX = "reader-sentences-"
# Labels kept decoded in memory (a label is ~30 chunks, ~150 sentences with their tokens).
MEDICINES_IN_MEMORY = 256
# Stores of other code kept in a version directory (newest first) when one is written.
KEEP_OTHER_STORES = 2
# Seconds between looks for a store that was missing (one may be being written).
RECHECK_S = 5.0

_APP_PIPELINE = Path(__file__).resolve().parent
_INDEXING = _APP_PIPELINE.parent.parent / "indexing"


@lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """A hash of the code the split runs: every module of app/pipeline, the tokenizer's modules, and the
    versions of the stemmer and segmenter libraries."""
    digest = hashlib.sha256()
    files = [*sorted(_APP_PIPELINE.glob("*.py")), _INDEXING / "text.py", _INDEXING / "vocabulary.py"]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for package in ("snowballstemmer", "jieba"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


def chunk_key(text: str, title: str, attribute: str, lang: str) -> str:
    return hashlib.blake2b("\x00".join((text, title, attribute, lang)).encode(), digest_size=16).hexdigest()


def store_path(version_dir: Path) -> Path:
    return version_dir / f"{PREFIX}{reader_fingerprint()}.sqlite"


class SentenceStore:
    """A written store, read a label at a time; decoded labels are kept (most recently used first)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._labels: OrderedDict[str, dict[str, ChunkSentences]] = OrderedDict()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._local.conn = conn
        return conn

    def label(self, medicine_id: str) -> dict[str, ChunkSentences]:
        """The medicine's chunks' sentences by chunk key (empty when the store has none of its chunks)."""
        with self._lock:
            found = self._labels.get(medicine_id)
            if found is not None:
                self._labels.move_to_end(medicine_id)
                return found
        rows = self._connection().execute(
            "SELECT key, payload FROM sentences WHERE medicine_id = ?", (medicine_id,)).fetchall()
        decoded = {key: tuple((int(source), text, frozenset(tokens)) for source, text, tokens in json.loads(payload))
                   for key, payload in rows}
        with self._lock:
            self._labels[medicine_id] = decoded
            while len(self._labels) > MEDICINES_IN_MEMORY:
                self._labels.popitem(last=False)
        return decoded


_stores_lock = threading.Lock()
# version directory -> (its store or None, when a missing one was last looked for)
_stores: dict[Path, tuple[SentenceStore | None, float]] = {}


def store_for(version_dir: Path) -> SentenceStore | None:
    """The store of this code for the index version in `version_dir`, or None while there is none."""
    with _stores_lock:
        known = _stores.get(version_dir)
        if known is not None and (known[0] is not None or time.monotonic() - known[1] < RECHECK_S):
            return known[0]
        path = store_path(version_dir)
        store = SentenceStore(path) if path.is_file() else None
        _stores[version_dir] = (store, time.monotonic())
        return store


def drop_store(version_dir: Path) -> None:
    """Stop reading a store that failed (removed underneath, unreadable): looked for again later."""
    with _stores_lock:
        _stores[version_dir] = (None, time.monotonic())


def forget_stores() -> None:
    """Drop every opened store (tests that write one after a lookup found none)."""
    with _stores_lock:
        _stores.clear()


# --------------------------------------------------------------------------------------------- writing

Split = Callable[[Chunk], ChunkSentences]


def _split_chunks(split: Split, chunks: list[Chunk]) -> list[tuple[str, str, str]]:
    rows = []
    for c in chunks:
        title = c.title or c.medicine_id.replace("-", " ")
        payload = [(source, text, sorted(tokens)) for source, text, tokens in split(c)]
        rows.append((chunk_key(c.text, title, c.attribute, c.lang), c.medicine_id,
                     json.dumps(payload, ensure_ascii=False, separators=(",", ":"))))
    return rows


def _batches(chunks: list[Chunk], size: int) -> Iterator[list[Chunk]]:
    for at in range(0, len(chunks), size):
        yield chunks[at:at + size]


def write_store(version_dir: Path, chunks: Iterable[Chunk], split: Split, workers: int = 1) -> Path | None:
    """Write this code's store for the version in `version_dir` from its chunks (`split`: the reader's
    per-chunk split, label_prefetch.compute_chunk_sentences). Returns its path, or None when another process
    is writing it. With workers > 1 the split runs in that many fresh (spawned) processes."""
    target = store_path(version_dir)
    if target.is_file():
        return target
    lock_path = version_dir / f".{target.name}.lock"
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        if target.is_file():
            return target
        started = time.time()
        unique = list({(c.text, c.title, c.attribute, c.lang, c.medicine_id): c for c in chunks}.values())
        if workers > 1 and len(unique) > 2000:
            with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
                parts = list(pool.map(_split_chunks, [split] * ((len(unique) + 999) // 1000),
                                      _batches(unique, 1000)))
            rows = [row for part in parts for row in part]
        else:
            rows = _split_chunks(split, unique)
        _remove_abandoned(version_dir)
        tmp = version_dir / f".{target.name}.{os.getpid()}.tmp"
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("CREATE TABLE sentences (key TEXT PRIMARY KEY, medicine_id TEXT NOT NULL, "
                         "payload TEXT NOT NULL)")
            conn.executemany("INSERT OR IGNORE INTO sentences VALUES (?, ?, ?)", rows)
            conn.execute("CREATE INDEX sentences_medicine ON sentences (medicine_id)")
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, target)
        # Two checkouts serving one index directory (a benchmark's pair) each keep theirs; older ones go.
        others = sorted((p for p in version_dir.glob(f"{PREFIX}*.sqlite") if p != target),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[KEEP_OTHER_STORES:]:
            old.unlink(missing_ok=True)
            (version_dir / f".{old.name}.lock").unlink(missing_ok=True)
        # (a writer that opens the lock after this creates it again, finds the store written and returns)
        lock_path.unlink(missing_ok=True)
        log.info("reader sentences of %d chunks written to %s in %.1f s", len(rows), target,
                 time.time() - started)
        return target


def _remove_abandoned(version_dir: Path) -> None:
    """Unfinished stores of writers that are gone (a server stopped while its writer ran): `.<name>.<pid>.tmp`."""
    for tmp in version_dir.glob(f".{PREFIX}*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if not pid_alive(pid):
            tmp.unlink(missing_ok=True)


def chunks_of(version_dir: Path) -> list[Chunk]:
    """The chunks of an index version as written (no BM25, no vectors loaded)."""
    with open(version_dir / "chunks.jsonl", encoding="utf-8") as f:
        return [Chunk.from_dict(json.loads(line)) for line in f if line.strip()]


def main(argv: list[str]) -> int:
    """`python -m app.pipeline.sentence_store VERSION_DIR [WORKERS]`: write the store for that version."""
    from app.pipeline.label_prefetch import compute_chunk_sentences

    if not argv:
        print("usage: python -m app.pipeline.sentence_store VERSION_DIR [WORKERS]", file=sys.stderr)
        return 2
    version_dir = Path(argv[0])
    if not (version_dir / "chunks.jsonl").is_file():
        print(f"error: {version_dir} is no index version directory (no chunks.jsonl)", file=sys.stderr)
        return 2
    workers = int(argv[1]) if len(argv) > 1 else 1
    started = time.time()
    written = write_store(version_dir, chunks_of(version_dir), compute_chunk_sentences, workers)
    if written is None:
        print(f"another process is writing the sentence store of {version_dir}", file=sys.stderr)
    else:
        print(f"sentence store {written} ({time.time() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
