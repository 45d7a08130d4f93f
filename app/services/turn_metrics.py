"""Counters of chat turns (Prometheus): stage latencies, answers by status and mode, failures. The chat
service reports to them; `GET /metrics` (app/api/metrics.py) exposes their registry with the HTTP ones."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

from app.llm.errors import ModelError
from app.pipeline.state import Answer

_STAGE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class TurnMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.stages = Histogram("clinqa_stage_duration_seconds", "pipeline stage latency (audit.timings_ms)",
                                ["stage"], buckets=_STAGE_BUCKETS, registry=r)
        self.answers = Counter("clinqa_answers", "answers by status and mode", ["status", "mode"], registry=r)
        self.model_errors = Counter("clinqa_model_errors", "model backend failures", ["kind"], registry=r)
        self.failures = Counter("clinqa_pipeline_failures", "turns that failed", ["kind"], registry=r)

    def answered(self, answer: Answer) -> None:
        for stage, ms in (answer.audit.get("timings_ms") or {}).items():
            self.stages.labels(stage).observe(float(ms) / 1000)
        self.answers.labels(answer.status.value, answer.mode.value).inc()

    def failed(self, exc: Exception) -> None:
        kind = type(exc).__name__
        self.failures.labels(kind).inc()
        if isinstance(exc, ModelError):
            self.model_errors.labels(kind).inc()
