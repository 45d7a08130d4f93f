"""Build the serving Orchestrator for an evaluation run, exactly as the API builds it (app/factory.py)."""

from __future__ import annotations

import logging
from pathlib import Path

from app.config import Settings
from app.factory import build_encoder, build_orchestrator, lexicon_builder
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.read import Reader
from app.pipeline.stage import Stage
from app.services.indexes import IndexHolder, corpus_changed
from eval.results import EvalError
from indexing.embed import Encoder

log = logging.getLogger(__name__)


def load_orchestrator(
    settings: Settings,
    encoder: Encoder | None = None,
    *,
    patient_context: Stage | None = None,
    reader: Reader | None = None,
) -> Orchestrator:
    """The API's orchestrator over the serving index version (with `patient_context` and `reader` as the
    evaluation's variants of those stages). An evaluation never builds an index: it measures the one that
    is there (`clinqa index build` makes one)."""
    encoder = encoder or build_encoder(settings, threads=settings.embed.torch_threads, for_queries=True)
    # (a store the index has is read; an evaluation, short-lived, writes none in the background)
    holder = IndexHolder(settings.model_copy(update={"sentence_store": False}), encoder, lexicon_builder(settings))
    if not holder.load_current():
        raise EvalError(
            f"no index under {settings.index_dir}/{settings.index_name}; run `clinqa index build` first"
        )
    index = holder.get()
    if corpus_changed(index, Path(settings.corpus)):
        log.warning("index %s was built from another version of %s: results are for the indexed version "
                    "(`clinqa index build` rebuilds it)", index.version, settings.corpus)
    if index.manifest.get("dense_pending"):
        log.warning("index %s is BM25-only (dense vectors pending): results are for BM25 retrieval", index.version)
    return build_orchestrator(settings, holder.serving, encoder, patient_context, indexes=holder, reader=reader)
