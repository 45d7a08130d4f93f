"""The one place that builds every component from Settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import faiss

from app.chat_service import ChatService
from app.config import Settings
from app.db import Database
from app.index_service import IndexHolder
from app.llm.local import LocalModel, LocalModelConfig
from app.llm.openai_compat import OpenAICompatConfig, OpenAICompatModel
from app.llm.protocol import ChatModel
from app.pipeline.calibration import check_index, load_calibration
from app.pipeline.distill import RulesDistillStage
from app.pipeline.distill_llm import LLMDistiller
from app.pipeline.orchestrator import Orchestrator, load_drug_names
from app.pipeline.protocols import Distiller, Reader, Selector
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_llm import LLMReader
from app.pipeline.retrieve import HybridRetriever, RetrieveConfig
from app.pipeline.select import CalibratedSelector, FixedKSelector, GapSelector
from app.pipeline.synonyms import drug_synonyms
from app.rebuild_jobs import RebuildJobStore
from app.records.service import RecordsComponents, build_records
from indexing.embed import Encoder

log = logging.getLogger(__name__)


@dataclass
class Components:
    settings: Settings
    db: Database
    encoder: Encoder
    indexes: IndexHolder
    orchestrator: Orchestrator
    chat: ChatService
    records: RecordsComponents | None = None
    query_encoder: Encoder | None = None  # None: `encoder` encodes the questions too


def build_chat_model(settings: Settings) -> ChatModel | None:
    """The model named by CLINQA_LLM__BACKEND; None for `extractive` (no model)."""
    llm = settings.llm
    if llm.backend == "openai_compat":
        if not llm.model:
            raise ValueError("CLINQA_LLM__BACKEND=openai_compat needs CLINQA_LLM__MODEL (the served model's name)")
        return OpenAICompatModel(
            OpenAICompatConfig(
                base_url=llm.base_url,
                model=llm.model,
                api_key=llm.api_key,
                timeout_s=llm.timeout_s,
                max_retries=llm.max_retries,
                retry_backoff_s=llm.retry_backoff_s,
                max_tokens=llm.max_tokens,
                temperature=llm.temperature,
            )
        )
    if llm.backend == "local":
        return LocalModel(
            LocalModelConfig(
                path=llm.local_path,
                gguf_file=llm.gguf_file,
                device=llm.device,
                dtype=llm.dtype,
                max_tokens=llm.max_tokens,
                temperature=llm.temperature,
            )
        )
    return None


def _require_model(model: ChatModel | None, setting: str) -> ChatModel:
    if model is None:
        raise ValueError(f"{setting}=llm needs a model: set CLINQA_LLM__BACKEND to local or openai_compat")
    return model


def build_distiller(settings: Settings, model: ChatModel | None) -> Distiller:
    if settings.distill.backend == "llm":
        return LLMDistiller(
            _require_model(model, "CLINQA_DISTILL__BACKEND"),
            tool_choice=settings.distill.tool_choice,
            max_calls=settings.distill.max_calls,
            max_tokens=settings.distill.max_tokens,
        )
    return RulesDistillStage()


def build_reader(settings: Settings, model: ChatModel | None) -> Reader:
    backend = settings.read.backend
    if backend == "llm" or (backend == "auto" and model is not None):
        return LLMReader(
            _require_model(model, "CLINQA_READ__BACKEND"),
            max_tokens=settings.llm.max_tokens,
            passage_chars=settings.read.passage_chars,
        )
    return ExtractiveReader(settings.read.max_sentences, settings.read.max_chars)


def serving_index_version(settings: Settings, indexes: IndexHolder | None = None) -> str | None:
    """The version the holder serves, else the one CURRENT points at on disk (before start-up loads it)."""
    from indexing.store import current_path, read_manifest

    if indexes is not None and indexes.ready:
        return indexes.get().version
    path = current_path(settings.index_dir, settings.index_name)
    return str(read_manifest(path)["version"]) if path is not None else None


def build_selector(settings: Settings, indexes: IndexHolder | None = None) -> Selector:
    """fixed (first k), gap (score gap) or calibrated (k from calibration.json, checked against the index:
    a file built for another index version is refused here, at start-up)."""
    sel = settings.select
    if sel.mode == "gap":
        return GapSelector(sel.gamma, sel.k_min, sel.k_max)
    if sel.mode == "calibrated":
        if sel.calibration is None:
            raise ValueError(
                "CLINQA_SELECT__MODE=calibrated needs CLINQA_SELECT__CALIBRATION (a calibration.json made by "
                "`clinqa calibrate`)"
            )
        calibration = load_calibration(sel.calibration)
        check_index(calibration, serving_index_version(settings, indexes))

        def current() -> str | None:
            return indexes.get().version if indexes is not None and indexes.ready else calibration.index_version

        return CalibratedSelector(calibration, sel.k, current)
    return FixedKSelector(sel.k)


def build_orchestrator(settings: Settings, indexes: IndexHolder, encoder: Encoder) -> Orchestrator:
    retriever = HybridRetriever(
        encoder,
        RetrieveConfig(
            top_n=settings.retrieve.top_n,
            rrf_k=settings.retrieve.rrf_k,
            bm25_weight=settings.retrieve.bm25_weight,
            dense_weight=settings.retrieve.dense_weight,
        ),
    )
    model = build_chat_model(settings)
    return Orchestrator(
        indexes.get,
        retriever,
        build_selector(settings, indexes),
        build_reader(settings, model),
        distiller=build_distiller(settings, model),
        extra_drug_names=load_drug_names(settings.drug_names),
        synonyms=drug_synonyms() if settings.drug_synonyms else None,
    )


def build_encoder(settings: Settings, threads: int | None = None, for_queries: bool = False) -> Encoder:
    """The encoder CLINQA_EMBED__* describes; `threads` caps its CPU threads (None: all cores);
    `for_queries`: the one that encodes questions (CLINQA_EMBED__QUERY_BACKEND)."""
    embed = settings.embed
    backend = embed.query_backend if for_queries and embed.query_backend != "same" else embed.backend
    return Encoder(embed.model, embed.device, embed.batch_size, threads=threads, backend=backend,
                   cache_dir=embed.onnx_cache_dir)


def build_components(settings: Settings) -> Components:
    if settings.search_threads is not None:
        faiss.omp_set_num_threads(settings.search_threads)
    db = Database(settings.database_url)
    encoder = build_encoder(settings, threads=settings.embed.torch_threads)
    query_encoder = encoder
    if settings.embed.query_backend not in ("same", settings.embed.backend):
        query_encoder = build_encoder(settings, threads=settings.embed.torch_threads, for_queries=True)
    indexes = IndexHolder(settings, encoder, RebuildJobStore(db))
    orchestrator = build_orchestrator(settings, indexes, query_encoder)
    indexes.prepare = orchestrator.lexicon  # a new version's lexicon is built before it serves
    records = build_records(settings, db, encoder, indexes.get, lambda: orchestrator.lexicon(indexes.get()))
    orchestrator.records = records.provider
    chat = ChatService(db, orchestrator, settings.max_message_chars, settings.records.default_mag)
    return Components(settings, db, encoder, indexes, orchestrator, chat, records, query_encoder)


def warm_up(components: Components) -> None:
    """Load what the first chat would otherwise wait for (seconds): the serving index's medicine lexicon and
    the query encoder."""
    if not components.indexes.ready:
        return
    index = components.indexes.get()
    components.orchestrator.lexicon(index)
    if index.dense is None:
        return
    queries = components.query_encoder or components.encoder
    queries.encode_query("warm-up query")
    built_with = index.manifest.get("embedding_model")
    if components.query_encoder is not None and components.query_encoder is not components.encoder:
        log.info("questions are encoded with %s over chunk vectors of %s (CLINQA_EMBED__QUERY_BACKEND)",
                 queries.model_id, built_with)
    elif built_with and built_with != components.encoder.model_id:
        log.warning(
            "index %s was encoded with %s but queries are encoded with %s: dense scores compare vectors "
            "of two models; rebuild the index (clinqa index build) or set CLINQA_EMBED__BACKEND to match",
            index.version, built_with, components.encoder.model_id,
        )
