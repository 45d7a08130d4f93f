"""Build the records components (store, per-patient search, the patient-context stage) from Settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.config import Settings
from app.db import Database
from app.records.interactions import IndexLinks
from app.records.medications import MedicationResolver
from app.records.provider import MedRecordProvider
from app.records.search import RecordSearch
from app.records.store import RecordStore
from indexing.embed import Encoder
from indexing.store import SearchIndex


@dataclass
class RecordsComponents:
    store: RecordStore
    search: RecordSearch
    provider: MedRecordProvider


def build_records(
    settings: Settings, db: Database, encoder: Encoder | None, get_index: Callable[[], SearchIndex]
) -> RecordsComponents:
    cfg = settings.records
    store = RecordStore(db)
    search = RecordSearch(store, encoder if cfg.dense else None, settings.retrieve.rrf_k, cfg.cache_patients,
                          cache_mb=cfg.cache_mb, vectors_file=cfg.vectors_file)
    provider = MedRecordProvider(store, search, links=IndexLinks(get_index), config=cfg,
                                 resolver=MedicationResolver(cfg.rxnorm_dir))
    return RecordsComponents(store, search, provider)
