"""The one place that builds every component from Settings."""

from __future__ import annotations

from dataclasses import dataclass

from app.chat_service import ChatService
from app.config import Settings
from app.db import Database
from app.index_service import IndexHolder
from app.pipeline.orchestrator import Orchestrator, load_drug_names
from app.pipeline.read import ExtractiveReader
from app.pipeline.retrieve import HybridRetriever, RetrieveConfig
from app.pipeline.select import FixedKSelector
from app.pipeline.synonyms import drug_synonyms
from indexing.embed import Encoder


@dataclass
class Components:
    settings: Settings
    db: Database
    encoder: Encoder
    indexes: IndexHolder
    orchestrator: Orchestrator
    chat: ChatService


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
    return Orchestrator(
        indexes.get,
        retriever,
        FixedKSelector(settings.select.k),
        ExtractiveReader(settings.read.max_sentences, settings.read.max_chars),
        extra_drug_names=load_drug_names(settings.drug_names),
        synonyms=drug_synonyms() if settings.drug_synonyms else None,
    )


def build_components(settings: Settings) -> Components:
    db = Database(settings.database_url)
    encoder = Encoder(settings.embed.model, settings.embed.device, settings.embed.batch_size)
    indexes = IndexHolder(settings, encoder)
    orchestrator = build_orchestrator(settings, indexes, encoder)
    chat = ChatService(db, orchestrator, settings.max_message_chars)
    return Components(settings, db, encoder, indexes, orchestrator, chat)
