"""Distill-Retrieve-Read (or Retrieve-then-Read) over the serving index, with an audit of each stage."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.pipeline.distill import RulesDistillStage
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.protocols import Distiller, Reader, RecordsProvider, Selector
from app.pipeline.read import NO_EVIDENCE, ReadResult, unknown_drug_answer
from app.pipeline.records import patient_outcome
from app.pipeline.retrieve import HybridRetriever, RetrievalTrace
from app.pipeline.types import (
    Answer,
    Distillation,
    Evidence,
    Mode,
    PatientContext,
    ReadRequest,
    SearchQuery,
    Turn,
)
from indexing.store import SearchIndex
from indexing.text import tokenize

# Hears the stages of one answer as they complete: (event name, JSON-able payload). See Orchestrator.answer.
StageObserver = Callable[[str, dict[str, Any]], None]


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


@dataclass
class Retrieved:
    """Stages 0-2 of one turn (records, distill, retrieve): what select + read work on. Calibration reads
    the same ranked evidence at many k without retrieving again (`Orchestrator.read_selected`)."""

    index: SearchIndex
    dialogue: list[Turn]
    message: str
    mode: Mode
    patient: PatientContext | None
    distilled: Distillation
    evidence: list[Evidence]
    images: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    started: float = 0.0


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
                # the serving version's and the next one's (prepared before it is swapped in)
                last = list(self._lexicons.items())[-1:]
                self._lexicons = {**dict(last), index.version: lex}
            return lex

    def distill(
        self, index: SearchIndex, dialogue: list[Turn], mode: Mode, patient: PatientContext | None = None
    ) -> Distillation:
        if mode is Mode.RTR:
            return Distillation([SearchQuery(None, None, dialogue[-1].content.strip())], backend="raw")
        return self.distiller.distill(dialogue, self.lexicon(index), patient)

    def retrieve(
        self,
        history: list[Turn],
        message: str,
        mode: Mode = Mode.DRR,
        patient_id: str | None = None,
        mag: str = "all",
        images: list[str] | None = None,
    ) -> Retrieved:
        """Records, distill and retrieve for one turn: the ranked evidence before selection."""
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
        return Retrieved(index, dialogue, message, mode, patient, distilled, evidence, list(images or []), timings, t0)

    def read_selected(
        self, got: Retrieved, evidence: list[Evidence], on_token: Callable[[str], None] | None = None
    ) -> ReadResult:
        """The read stage over the given (selected) evidence, e.g. `got.evidence[:k]`. `on_token` receives
        the answer's text as a streaming reader generates it (readers that cannot stream ignore it)."""
        distilled = got.distilled
        if distilled.unknown_drugs and not distilled.queries and not got.images:
            return unknown_drug_answer(distilled.unknown_drugs)
        return self.reader.read(
            ReadRequest(got.message, got.dialogue, distilled.queries, evidence, got.patient, list(got.images),
                        on_token=on_token)
        )

    def answer(
        self,
        history: list[Turn],
        message: str,
        mode: Mode = Mode.DRR,
        patient_id: str | None = None,
        mag: str = "all",
        images: list[str] | None = None,
        observer: StageObserver | None = None,
    ) -> Answer:
        """`images`: files attached to the question (e.g. current and prior chest X-rays) for a reader
        whose model sees images. `observer` (streaming) hears each stage as it completes: ("queries",
        {...}) after distill + retrieve, ("evidence", {...}) after select, ("token", {"text": ...}) while a
        streaming reader generates."""
        got = self.retrieve(history, message, mode, patient_id, mag, images)
        index, patient, distilled, evidence = got.index, got.patient, got.distilled, got.evidence
        timings = got.timings
        t0 = got.started
        if observer is not None:
            observer("queries", {"queries": [q.to_dict() for q in distilled.queries],
                                 "unknown_drugs": list(distilled.unknown_drugs)})

        t = time.perf_counter()
        selection = self.selector.run(evidence)
        timings["select"] = (time.perf_counter() - t) * 1000
        if observer is not None:
            observer("evidence", {"k": selection.k, "evidence": [
                {**e.to_dict(), "title": e.chunk.title, "text": e.chunk.text} for e in selection.evidence]})

        def on_token(text: str) -> None:
            assert observer is not None
            observer("token", {"text": text})

        t = time.perf_counter()
        result = self.read_selected(got, selection.evidence, on_token if observer is not None else None)
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
        outcome = None
        if patient is not None:
            outcome = patient_outcome(patient, distilled, result.text, self.lexicon(index), index)
            audit["records"] = outcome.audit
        if result.notice:
            audit["notice"] = result.notice
        if distilled.unknown_drugs and distilled.queries:
            audit["notice"] = (
                audit.get("notice", "") + f" Not in the database: {', '.join(distilled.unknown_drugs)}."
            ).strip()
        if outcome is not None and outcome.notice:  # allergy alerts and record-derived partners go first
            audit["notice"] = f"{outcome.notice} {audit.get('notice', '')}".strip()
        return Answer(
            text=result.text or NO_EVIDENCE,
            citations=result.citations,
            queries=distilled.queries,
            evidence=selection.evidence,
            k=selection.k,
            mode=mode,
            status=result.status,
            audit=audit,
            record_citations=outcome.citations if outcome is not None else [],
        )
