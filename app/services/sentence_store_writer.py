"""Writing the reader's sentence store (app.pipeline.sentence_store) for an index version a process serves,
when that version has none for this code: in a daemon thread for a small index (a test's or a demo's, a few
seconds), in a niced subprocess for a large one (the shipped corpus: ~80 s of one core, which in a thread
would hold the serving process's GIL against its requests). Requests meanwhile compute the split per label,
as they would without a store; each process looks for the file again every few seconds."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading

from app.pipeline.label_prefetch import compute_chunk_sentences
from app.pipeline.sentence_store import store_path, write_store
from indexing.store import SearchIndex

log = logging.getLogger(__name__)

# Chunks at most this many: written in the serving process (~1.2 ms a chunk).
IN_PROCESS_CHUNKS = 4000
NICENESS = 10
_PR_SET_PDEATHSIG = 1  # linux/prctl.h

_started: set[str] = set()
_lock = threading.Lock()


def ensure_sentence_store(index: SearchIndex) -> threading.Thread | None:
    """Start writing the store of `index`'s version unless it exists or this process already started it;
    returns the thread that writes it or waits for its subprocess."""
    key = str(index.path.resolve())
    with _lock:
        if key in _started or store_path(index.path).is_file():
            return None
        _started.add(key)
    worker = threading.Thread(target=_write, args=(index,), name="sentence-store", daemon=True)
    worker.start()
    return worker


def _in_the_background() -> None:
    """The writer subprocess: niced, and ended with the thread that waits for it (the server process), so a
    stopped server leaves no writer behind (its unfinished file is removed by the next writer)."""
    os.nice(NICENESS)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _write(index: SearchIndex) -> None:
    try:
        if len(index.chunks) <= IN_PROCESS_CHUNKS:
            write_store(index.path, index.chunks, compute_chunk_sentences)
            return
        log.info("writing the reader's sentence store for index %s in a subprocess; labels are split per request "
                 "meanwhile", index.version)
        done = subprocess.run([sys.executable, "-m", "app.pipeline.sentence_store", str(index.path)],
                              preexec_fn=_in_the_background, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log.warning("writing the sentence store for index %s failed (exit %d): %s", index.version,
                        done.returncode, done.stderr.strip()[-2000:])
        else:
            log.info("the reader's sentence store for index %s: %s", index.version,
                     done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "written")
    except Exception:
        log.exception("writing the sentence store for index %s failed; labels are split per request",
                      index.version)
