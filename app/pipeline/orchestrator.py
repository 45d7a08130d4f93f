"""Runs a turn through its stages in order (Distill-Retrieve-Read, or Retrieve-then-Read) and returns the
answer with an audit of every stage."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import Any, Protocol

from app.enums import Mode, Status
from app.pipeline.audit import audit_of
from app.pipeline.read import NO_EVIDENCE
from app.pipeline.stage import Stage
from app.pipeline.state import (
    Answer,
    Evidence,
    ReadResult,
    Selection,
    Serving,
    StageObserver,
    Turn,
    TurnRequest,
    TurnState,
)
from app.pipeline.zh_pinyin import with_hanzi_names

# The stages after which the streaming client hears what the turn found so far.
_EVENTS: dict[str, Callable[[TurnState], tuple[str, dict[str, Any]]]] = {
    "retrieve": lambda s: ("queries", {"queries": [q.to_dict() for q in s.queries],
                                       "unknown_drugs": list(s.distilled.unknown_drugs)}),
    "select": lambda s: ("evidence", {"k": len(s.selected), "evidence": [
        {**e.to_dict(), "title": e.chunk.title, "text": e.chunk.text} for e in s.selected]}),
}


class StageTracer(Protocol):
    """Spans around a turn and each of its stages (app/telemetry.py: OpenTelemetry); each context manager
    reads what it needs from the state when it closes."""

    def turn(self, state: TurnState) -> AbstractContextManager[object]: ...

    def stage(self, name: str, state: TurnState) -> AbstractContextManager[object]: ...


_UNTRACED = nullcontext()

# Work a mode begins on another thread when a turn starts, before its first stage (the question's intent
# embedding, app.pipeline.intent: issue 18); it must not change the state.
TurnStarter = Callable[[TurnState], None]


class Orchestrator:
    """The ordered stages of each mode over the serving index (see app/factory.py for who builds them).
    `tracer`: spans per turn and stage (None: tracing off, nothing but a None check per stage); `ahead`: each
    mode's TurnStarters."""

    def __init__(self, serving: Callable[[], Serving], pipelines: Mapping[Mode, Sequence[Stage]],
                 tracer: StageTracer | None = None,
                 ahead: Mapping[Mode, Sequence[TurnStarter]] | None = None) -> None:
        if Mode.DRR not in pipelines:
            raise ValueError("the Distill-Retrieve-Read pipeline is required")
        self.serving = serving
        self.pipelines = {mode: tuple(stages) for mode, stages in pipelines.items()}
        self.tracer = tracer
        self.ahead = {mode: tuple(starters) for mode, starters in (ahead or {}).items()}

    def stages(self, mode: Mode) -> tuple[Stage, ...]:
        try:
            return self.pipelines[mode]
        except KeyError:
            raise ValueError(f"no pipeline for mode {mode.value!r}") from None

    def stage(self, name: str, mode: Mode = Mode.DRR) -> Stage:
        return next(s for s in self.stages(mode) if s.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {mode.value: [{"name": s.name, **s.to_dict()} for s in stages]
                for mode, stages in self.pipelines.items()}

    def start(self, request: TurnRequest, observer: StageObserver | None = None) -> TurnState:
        state = TurnState(read_as_typed(request), self.serving(), observer=observer)
        for begin in self.ahead.get(request.mode, ()):
            begin(state)
        return state

    def run(self, state: TurnState, stages: Sequence[Stage]) -> TurnState:
        for stage in stages:
            if stage.name == "read" and state.reading is not None:
                continue  # an earlier stage answered the turn (app.pipeline.indication_search)
            t = time.perf_counter()
            with self.tracer.stage(stage.name, state) if self.tracer is not None else _UNTRACED:
                stage.run(state)
            state.timings[stage.name] = state.timings.get(stage.name, 0.0) + (time.perf_counter() - t) * 1000
            event = _EVENTS.get(stage.name)
            if event is not None and state.observer is not None:
                state.emit(*event(state))
        return state

    def answer(self, request: TurnRequest, observer: StageObserver | None = None) -> Answer:
        """One turn through every stage of its mode. `observer` (streaming) hears ("queries", ...) after
        retrieval, ("evidence", ...) after selection and ("token", {"text"}) while a streaming reader
        generates."""
        t0 = time.perf_counter()
        state = self.start(request, observer)
        with self.tracer.turn(state) if self.tracer is not None else _UNTRACED:
            self.run(state, self.stages(request.mode))
            state.timings["total"] = (time.perf_counter() - t0) * 1000
        return finished(state)

    # -- evaluation: retrieve once, read many selections (calibration) -------------------------------------

    def retrieve(self, request: TurnRequest) -> TurnState:
        """The turn up to (not including) selection: the ranked evidence every k is chosen from."""
        stages = self.stages(request.mode)
        cut = next((i for i, s in enumerate(stages) if s.name == "select"), len(stages))
        return self.run(self.start(request), stages[:cut])

    def read_selected(self, retrieved: TurnState, evidence: list[Evidence]) -> ReadResult:
        """The read stage over the given evidence (e.g. `retrieved.evidence[:k]`), on a copy of the state."""
        state = replace(retrieved, selection=Selection(list(evidence), len(evidence), {"mode": "given"}),
                        notices=[], timings={})
        self.run(state, [self.stage("read", retrieved.request.mode)])
        assert state.reading is not None
        return state.reading


def read_as_typed(request: TurnRequest) -> TurnRequest:
    """The request with medicine names typed in pinyin written in characters (app.pipeline.zh_pinyin) in the
    user's turns; the stored conversation keeps what was typed."""
    message = with_hanzi_names(request.message)
    history = [Turn(t.role, with_hanzi_names(t.content)) if t.role == "user" else t for t in request.history]
    if message == request.message and history == request.history:
        return request
    return replace(request, message=message, history=history)


def finished(state: TurnState) -> Answer:
    """The answer of a turn whose stages have all run."""
    reading = state.reading
    selection = state.selection
    patient = state.patient
    return Answer(
        text=(reading.text if reading is not None else "") or NO_EVIDENCE,
        citations=reading.citations if reading is not None else [],
        queries=state.queries,
        evidence=selection.evidence if selection is not None else [],
        k=selection.k if selection is not None else 0,
        mode=state.request.mode,
        status=reading.status if reading is not None else Status.NO_EVIDENCE,
        notices=list(state.notices),
        patient_id=patient.patient_id if patient is not None else None,
        records_used=state.records_used,
        records_read=state.records_read,
        record_citations=list(state.record_citations),
        audit=audit_of(state),
        options=list(state.distilled.options) if reading is not None and reading.status is Status.CLARIFY else [],
    )
