"""Distill-Retrieve-Read (or Retrieve-then-Read) over the serving index, with an audit of each stage."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from app.pipeline.distill import RulesDistillStage
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.protocols import Distiller, Reader, RecordsProvider, Selector
from app.pipeline.read import NO_EVIDENCE, ReadResult, unknown_drug_answer
from app.pipeline.retrieve import HybridRetriever, RetrievalTrace
from app.pipeline.types import Answer, Distillation, Mode, PatientContext, ReadRequest, SearchQuery, Turn
from indexing.store import SearchIndex
from indexing.text import tokenize


def known_word_test(index: SearchIndex, min_docs: int = 20) -> Callable[[str], bool]:
    """Ordinary words occur across many label chunks; a drug's brand name in only a few, if any."""

    def known(word: str) -> bool:
        tokens = tokenize(word)
        return not tokens or all(index.bm25.doc_freq(t) >= min_docs for t in tokens)

    return known


def load_drug_names(path: Path | None) -> tuple[str, ...]:
    if path is None or not path.is_file():
        return ()
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


class Orchestrator:
    """Runs the stages in order over the serving index. Stages are injected (see app/factory.py)."""

    def __init__(
        self,
        get_index: Callable[[], SearchIndex],
        retriever: HybridRetriever,
        selector: Selector,
        reader: Reader,
        distiller: Distiller | None = None,
        records: RecordsProvider | None = None,
        extra_drug_names: tuple[str, ...] = (),
        synonyms: Mapping[str, str] | None = None,
    ) -> None:
        self.get_index = get_index
        self.retriever = retriever
        self.selector = selector
        self.reader = reader
        self.distiller: Distiller = distiller or RulesDistillStage()
        self.records = records
        self.extra_drug_names = extra_drug_names
        self.synonyms = synonyms
        self._lexicons: dict[str, MedicineLexicon] = {}
        self._lock = threading.Lock()

    def lexicon(self, index: SearchIndex) -> MedicineLexicon:
        with self._lock:
            lex = self._lexicons.get(index.version)
            if lex is None:
                lex = MedicineLexicon(
                    index.medicines.values(),
                    self.extra_drug_names,
                    is_known_word=known_word_test(index),
                    synonyms=self.synonyms,
                )
                self._lexicons = {index.version: lex}
            return lex

    def distill(
        self, index: SearchIndex, dialogue: list[Turn], mode: Mode, patient: PatientContext | None = None
    ) -> Distillation:
        if mode is Mode.RTR:
            return Distillation([SearchQuery(None, None, dialogue[-1].content.strip())], backend="raw")
        return self.distiller.distill(dialogue, self.lexicon(index), patient)

    def answer(
        self,
        history: list[Turn],
        message: str,
        mode: Mode = Mode.DRR,
        patient_id: str | None = None,
        mag: str = "all",
    ) -> Answer:
        index = self.get_index()
        dialogue = [*history, Turn("user", message)]
        timings: dict[str, float] = {}
        t0 = time.perf_counter()

        patient = None
        if patient_id is not None and self.records is not None:
            t = time.perf_counter()
            patient = self.records.context(patient_id, dialogue, mag)
            timings["records"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        distilled = self.distill(index, dialogue, mode, patient)
        timings["distill"] = (time.perf_counter() - t) * 1000

        trace = RetrievalTrace()
        t = time.perf_counter()
        evidence = self.retriever.run(index, distilled.queries, trace) if distilled.queries else []
        timings["retrieve"] = (time.perf_counter() - t) * 1000
        timings.update({f"retrieve.{k}": v for k, v in trace.timings_ms.items()})

        t = time.perf_counter()
        selection = self.selector.run(evidence)
        timings["select"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        result: ReadResult
        if distilled.unknown_drugs and not distilled.queries:
            result = unknown_drug_answer(distilled.unknown_drugs)
        else:
            result = self.reader.read(
                ReadRequest(message, dialogue, distilled.queries, selection.evidence, patient)
            )
        timings["read"] = (time.perf_counter() - t) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000

        audit: dict[str, Any] = {
            "index_version": index.version,
            "retrieval": index.retrieval,
            "distill": {"backend": distilled.backend, **distilled.audit},
            "unknown_drugs": distilled.unknown_drugs,
            "select": selection.audit,
            "reader": self.reader.name,
            "read": result.audit,
            "timings_ms": {k: round(v, 3) for k, v in timings.items()},
            "evidence_retrieved": len(evidence),
            "ranked_chunk_ids": [e.chunk.chunk_id for e in evidence[:50]],
        }
        if patient is not None:
            audit["records"] = {
                "patient_id": patient.patient_id,
                "mag": patient.mag,
                "used": [r.to_dict() | {"text": r.text[:200]} for r in patient.snippets],
                **patient.audit,
            }
        if result.notice:
            audit["notice"] = result.notice
        if distilled.unknown_drugs and distilled.queries:
            audit["notice"] = (
                audit.get("notice", "") + f" Not in the database: {', '.join(distilled.unknown_drugs)}."
            ).strip()
        return Answer(
            text=result.text or NO_EVIDENCE,
            citations=result.citations,
            queries=distilled.queries,
            evidence=selection.evidence,
            k=selection.k,
            mode=mode,
            status=result.status,
            audit=audit,
        )
