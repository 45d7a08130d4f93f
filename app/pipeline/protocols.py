"""The stage interfaces the orchestrator composes; implementations are chosen by Settings (factory.py)."""

from __future__ import annotations

from typing import Protocol

from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read import ReadResult
from app.pipeline.select import Selection
from app.pipeline.types import Distillation, Evidence, PatientContext, ReadRequest, Turn


class Distiller(Protocol):
    name: str

    def distill(
        self, dialogue: list[Turn], lexicon: MedicineLexicon, patient: PatientContext | None = None
    ) -> Distillation: ...


class Selector(Protocol):
    mode: str

    def run(self, evidence: list[Evidence]) -> Selection: ...


class Reader(Protocol):
    name: str

    def read(self, request: ReadRequest) -> ReadResult: ...


class RecordsProvider(Protocol):
    """MedRecord-augmented generation: a patient's global and regional records for this dialogue."""

    def context(self, patient_id: str, dialogue: list[Turn], mag: str) -> PatientContext: ...
