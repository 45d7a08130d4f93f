"""The one place that builds every component from Settings, in dependency order, through constructors:
database -> encoders -> serving index (with its lexicon) -> patient records -> pipeline stages ->
orchestrator -> services. Evaluation builds its variants here too (a different reader or patient-context
stage), never by assigning attributes afterwards."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import faiss
from opentelemetry.trace import TracerProvider

from app.config import Settings
from app.db import Database
from app.enums import Mode
from app.llm.local import LocalModel
from app.llm.openai_compat import OpenAICompatModel
from app.llm.protocol import ChatModel
from app.pipeline.calibration import check_index, load_calibration
from app.pipeline.distill import RawQuery, RuleDistiller
from app.pipeline.distill_llm import LLMDistiller
from app.pipeline.framing import AnswerFraming
from app.pipeline.generic_names import shipped_name_table
from app.pipeline.imprint_search import ImprintSearch
from app.pipeline.indication_search import IndicationSearch
from app.pipeline.ingestion import AccidentalIngestion
from app.pipeline.intent import IntentClassifier, embed_question_ahead, intent_for_encoder
from app.pipeline.lexicon import MedicineLexicon, known_word_test, load_drug_names
from app.pipeline.orchestrator import Orchestrator, StageTracer
from app.pipeline.read import ExtractiveReader, QueryVectors, Reader
from app.pipeline.read_llm import LLMReader
from app.pipeline.retrieve import HybridRetriever
from app.pipeline.select import CalibratedSelector, FixedKSelector, GapSelector
from app.pipeline.stage import Stage
from app.pipeline.state import Serving
from app.pipeline.statement import StatementOnly
from app.pipeline.synonyms import drug_synonyms
from app.records.interactions import links_for
from app.records.mag import MedicationPartners, PatientOutcome
from app.records.service import RecordsComponents, build_records
from app.services.access_log import AccessLog
from app.services.chat import ChatService
from app.services.conversations import ConversationStore
from app.services.identity import TokenVerifier
from app.services.indexes import IndexHolder
from app.services.keys import KeyService
from app.services.rebuild_jobs import RebuildJobStore
from app.services.turn_metrics import TurnMetrics
from app.telemetry import stage_spans
from indexing.embed import Backend, Encoder
from indexing.embed_choice import resolve_backend
from indexing.store import SearchIndex, current_path, read_manifest

log = logging.getLogger(__name__)


@dataclass
class Components:
    settings: Settings
    db: Database
    encoder: Encoder
    query_encoder: Encoder  # the same object as `encoder` unless CLINQA_EMBED__QUERY_BACKEND differs
    indexes: IndexHolder
    records: RecordsComponents
    orchestrator: Orchestrator
    chat: ChatService
    keys: KeyService
    access_log: AccessLog
    turn_metrics: TurnMetrics
    identity: TokenVerifier | None = None  # OpenID Connect bearer tokens (CLINQA_OIDC__*), when configured


def build_chat_model(settings: Settings) -> ChatModel | None:
    """The model named by CLINQA_LLM__BACKEND; None for `extractive` (no model)."""
    llm = settings.llm
    if llm.backend == "openai_compat":
        if not llm.model:
            raise ValueError("CLINQA_LLM__BACKEND=openai_compat needs CLINQA_LLM__MODEL (the served model's name)")
        return OpenAICompatModel(llm)
    if llm.backend == "local":
        return LocalModel(llm)
    return None


def _require_model(model: ChatModel | None, setting: str) -> ChatModel:
    if model is None:
        raise ValueError(f"{setting}=llm needs a model: set CLINQA_LLM__BACKEND to local or openai_compat")
    return model


def build_distiller(settings: Settings, model: ChatModel | None, query_encoder: Encoder | None = None,
                    intent: IntentClassifier | None = None) -> Stage:
    """`intent`: the section prior (None: the one the settings and the query encoder describe)."""
    if intent is None:
        intent = intent_for_encoder(settings.distill.intent_model, query_encoder)  # the section prior, either way
    if settings.distill.backend == "llm":
        return LLMDistiller(_require_model(model, "CLINQA_DISTILL__BACKEND"), settings.distill, intent=intent)
    return RuleDistiller(intent=intent)


def build_reader(settings: Settings, model: ChatModel | None, embeddings: QueryVectors | None = None) -> Reader:
    """`embeddings`: the retriever's query vectors, which the reader ranks sentences with."""
    backend = settings.read.backend
    if backend == "llm" or (backend == "auto" and model is not None):
        return LLMReader(_require_model(model, "CLINQA_READ__BACKEND"), settings.read, embeddings=embeddings)
    return ExtractiveReader(settings.read, embeddings=embeddings)


def serving_index_version(settings: Settings, indexes: IndexHolder | None = None) -> str | None:
    """The version the holder serves, else the one CURRENT points at on disk (before start-up loads it)."""
    if indexes is not None and indexes.ready:
        return indexes.get().version
    path = current_path(settings.index_dir, settings.index_name)
    return str(read_manifest(path)["version"]) if path is not None else None


def build_selector(settings: Settings, indexes: IndexHolder | None = None) -> Stage:
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


def lexicon_builder(settings: Settings) -> Callable[[SearchIndex], MedicineLexicon]:
    """How each loaded index version gets its medicine lexicon (names, aliases, brands, known words)."""
    extra_names = load_drug_names(settings.drug_names)
    synonyms = drug_synonyms() if settings.drug_synonyms else None

    def build(index: SearchIndex) -> MedicineLexicon:
        lexicon = MedicineLexicon(index.medicines.values(), extra_names, is_known_word=known_word_test(index),
                                  synonyms=synonyms, name_table=shipped_name_table())
        # Its misspelt-name stem table is built on first use (~0.5 s of the first question with a label word
        # misspelt, issue 18): here, when the version is loaded, before it serves.
        lexicon._same_stem_name("warfarin")
        return lexicon

    return build


def build_orchestrator(
    settings: Settings,
    serving: Callable[[], Serving],
    query_encoder: Encoder | None,
    patient_context: Stage | None,
    *,
    indexes: IndexHolder | None = None,
    reader: Reader | None = None,
    tracer: StageTracer | None = None,
) -> Orchestrator:
    """The stages of each mode in order. `patient_context`: the stage that reads a patient's records (None:
    records are not used); `reader`: replaces the configured reader (evaluation variants); `tracer`: spans
    per turn and stage (app/telemetry.py)."""
    model = build_chat_model(settings)
    retriever = HybridRetriever(query_encoder, settings.retrieve)
    selector = build_selector(settings, indexes)
    reader = reader or build_reader(settings, model, retriever.embeddings)
    patient = [patient_context] if patient_context is not None else []
    outcome: list[Stage] = [PatientOutcome()] if patient_context is not None else []
    intent = intent_for_encoder(settings.distill.intent_model, query_encoder)
    distiller = build_distiller(settings, model, query_encoder, intent)
    # the question's intent embedding starts with the turn, while patient context and distill's rules run
    ahead = {Mode.DRR: [embed_question_ahead(intent)]} if intent.uses_model else None
    # the extractive reader (a model reader's ranker) finds what one label says of another medicine
    named_in = getattr(reader, "sentence_naming", None) or getattr(getattr(reader, "ranker", None),
                                                                    "sentence_naming", None)
    return Orchestrator(serving, {
        Mode.DRR: [*patient, distiller, StatementOnly(), AccidentalIngestion(), MedicationPartners(), retriever,
                   selector,
                   ImprintSearch(), IndicationSearch(retriever.embeddings, named_in=named_in), reader, *outcome,
                   AnswerFraming()],
        Mode.RTR: [*patient, RawQuery(), retriever, selector, reader, *outcome, AnswerFraming()],
    }, tracer=tracer, ahead=ahead)


def embed_backend(settings: Settings) -> Backend:
    """CLINQA_EMBED__BACKEND with "auto" resolved: the serving index's encoder, else by the corpus's
    languages (indexing.embed_choice)."""
    return resolve_backend(settings.embed.backend, settings.index_dir, settings.index_name, settings.corpus)


def build_encoder(settings: Settings, threads: int | None = None, for_queries: bool = False) -> Encoder:
    """The encoder CLINQA_EMBED__* describes; `threads` caps its CPU threads (None: all cores);
    `for_queries`: the one that encodes questions (CLINQA_EMBED__QUERY_BACKEND)."""
    embed = settings.embed
    backend = embed.query_backend if for_queries and embed.query_backend != "same" else embed_backend(settings)
    return Encoder(embed.model, embed.device, embed.batch_size, threads=threads, backend=backend,
                   cache_dir=embed.onnx_cache_dir)


def build_components(settings: Settings, tracer_provider: TracerProvider | None = None) -> Components:
    """`tracer_provider`: OpenTelemetry spans per turn and stage (the server passes its own; None: off)."""
    if settings.search_threads is not None:
        faiss.omp_set_num_threads(settings.search_threads)
    db = Database(settings.database_url)
    encoder = build_encoder(settings, threads=settings.embed.torch_threads)
    query_encoder = encoder
    if settings.embed.query_backend not in ("same", settings.embed.backend):
        query_encoder = build_encoder(settings, threads=settings.embed.torch_threads, for_queries=True)
    indexes = IndexHolder(settings, encoder, lexicon_builder(settings), RebuildJobStore(db))
    records = build_records(settings, db, encoder, indexes.get)
    orchestrator = build_orchestrator(settings, indexes.serving, query_encoder, records.provider, indexes=indexes,
                                      tracer=stage_spans(tracer_provider))
    access_log = AccessLog(db)
    turn_metrics = TurnMetrics()
    chat = ChatService(ConversationStore(db), orchestrator, access_log, records.store, turn_metrics,
                       settings.max_message_chars, settings.records.default_mag)
    return Components(settings, db, encoder, query_encoder, indexes, records, orchestrator, chat, KeyService(db),
                      access_log, turn_metrics, build_identity(settings))


def build_identity(settings: Settings) -> TokenVerifier | None:
    """The token verifier when OpenID Connect is configured (issuer + JWKS URL), else None."""
    if not settings.oidc.enabled:
        return None
    if not settings.auth.enabled:
        log.warning("CLINQA_OIDC__* is set but CLINQA_AUTH__ENABLED is false: every request is anonymous and "
                    "tokens are not checked")
    return TokenVerifier.of(settings.oidc)


def warm_up(components: Components) -> None:
    """Load what the first chat would otherwise wait for (seconds): the interaction links and classes the
    labels give (about 3 s; the first question naming a medicine the user takes waited for them), the query
    encoder. (The serving index's lexicon is built when the index is loaded.)"""
    if not components.indexes.ready:
        return
    index = components.indexes.get()
    links_for(index).classes  # noqa: B018 - built on first use; here, before the first chat
    if index.dense is None:
        return
    queries = components.query_encoder
    queries.encode_query("warm-up query")
    built_with = index.manifest.get("embedding_model")
    if queries is not components.encoder:
        log.info("questions are encoded with %s over chunk vectors of %s (CLINQA_EMBED__QUERY_BACKEND)",
                 queries.model_id, built_with)
    elif built_with and built_with != components.encoder.model_id:
        log.warning(
            "index %s was encoded with %s but queries are encoded with %s: dense scores compare vectors "
            "of two models; rebuild the index (clinqa index build) or set CLINQA_EMBED__BACKEND to match",
            index.version, built_with, components.encoder.model_id,
        )
