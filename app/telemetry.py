"""OpenTelemetry tracing: a span per HTTP request (app/api/tracing.py), per chat turn and per pipeline stage.

On only when the standard variables ask for it: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
`OTEL_EXPORTER_OTLP_ENDPOINT` (OTLP over HTTP/protobuf, batched), or `OTEL_TRACES_EXPORTER=console`;
`OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turn it off. `OTEL_SERVICE_NAME` defaults to `clinqa`;
the exporter and the batch processor read their own variables (`OTEL_EXPORTER_OTLP_HEADERS`, `..._TIMEOUT`,
`OTEL_BSP_*`), the provider its sampler (`OTEL_TRACES_SAMPLER`). Off, nothing is built: the orchestrator and
the app see None and trace nothing.

Span attributes are counts, vocabulary words and versions only: never the message, a record's text, a
patient's or a medicine's name, nor an exception's message (which may quote the question).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from opentelemetry.trace import Span, Status, StatusCode, Tracer, TracerProvider
from opentelemetry.util.types import AttributeValue

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider

    from app.pipeline.state import TurnState

log = logging.getLogger(__name__)

INSTRUMENTATION = "clinqa"
DEFAULT_SERVICE_NAME = "clinqa"
_TRUE = ("true", "1", "yes", "on")

Attributes = dict[str, AttributeValue]
_AttributesOf = Callable[["TurnState"], Attributes]


def tracing_wanted(environ: Mapping[str, str]) -> str | None:
    """The exporter the OTEL_* variables ask for ("otlp" or "console"), or None: tracing off."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() in _TRUE:
        return None
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter == "none":
        return None
    if exporter == "console":
        return "console"
    if exporter not in ("", "otlp"):
        log.warning("OTEL_TRACES_EXPORTER=%s is not supported (otlp, console, none): tracing is off", exporter)
        return None
    if otlp_traces_endpoint(environ) is None:
        return None
    return "otlp"


def otlp_traces_endpoint(environ: Mapping[str, str]) -> str | None:
    """Where spans are posted: the traces endpoint as given, or the general endpoint + `/v1/traces`."""
    traces = environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").strip()
    if traces:
        return traces
    base = environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip()
    return base.rstrip("/") + "/v1/traces" if base else None


def provider_from_env(environ: Mapping[str, str] | None = None) -> SdkTracerProvider | None:
    """A tracer provider exporting as the OTEL_* variables say, or None when they do not ask for tracing."""
    environ = os.environ if environ is None else environ
    exporter_kind = tracing_wanted(environ)
    if exporter_kind is None:
        return None
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

    exporter: SpanExporter
    if exporter_kind == "console":
        exporter = ConsoleSpanExporter()
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        protocol = environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
        if protocol and protocol.strip() != "http/protobuf":
            log.warning("OTEL_EXPORTER_OTLP_PROTOCOL=%s: clinqa exports over http/protobuf only", protocol)
        exporter = OTLPSpanExporter(endpoint=otlp_traces_endpoint(environ))
    # Resource.create reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES; ours is only the fallback name.
    resource = Resource.create()
    if str(resource.attributes.get("service.name", "")).startswith("unknown_service"):
        resource = resource.merge(Resource({"service.name": DEFAULT_SERVICE_NAME}))
    provider = SdkTracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    log.info("tracing on: %s exporter%s", exporter_kind,
             f" to {otlp_traces_endpoint(environ)}" if exporter_kind == "otlp" else "")
    return provider


_process_provider: SdkTracerProvider | None = None
_configured = False


def process_tracer_provider() -> TracerProvider | None:
    """This process's provider, built from the environment once (each server worker has its own; the SDK
    flushes it at exit)."""
    global _process_provider, _configured
    if not _configured:
        _process_provider = provider_from_env()
        _configured = True
    return _process_provider


def flush(provider: TracerProvider | None) -> None:
    """Export the spans still queued (server shutdown)."""
    force_flush = getattr(provider, "force_flush", None)
    if force_flush is not None:
        force_flush()


def mark_failed(span: Span, exc: BaseException) -> None:
    """An error status naming the exception's type only: its message may quote what the user wrote."""
    span.set_attribute("error.type", type(exc).__qualname__)
    span.set_status(Status(StatusCode.ERROR, type(exc).__qualname__))


# -- the pipeline's spans ---------------------------------------------------------------------------------


class StageSpans:
    """The orchestrator's StageTracer over OpenTelemetry: `clinqa.turn` with a child `clinqa.stage.<name>`
    per stage, each with the attributes its stage decided (see `stage_attributes`)."""

    def __init__(self, tracer: Tracer) -> None:
        self.tracer = tracer

    def turn(self, state: TurnState) -> AbstractContextManager[Span]:
        return self._span("clinqa.turn", state, turn_attributes)

    def stage(self, name: str, state: TurnState) -> AbstractContextManager[Span]:
        return self._span(f"clinqa.stage.{name}", state, lambda s: stage_attributes(name, s))

    @contextmanager
    def _span(self, span_name: str, state: TurnState, attributes: _AttributesOf) -> Iterator[Span]:
        with self.tracer.start_as_current_span(span_name, attributes=request_attributes(state),
                                               record_exception=False, set_status_on_exception=False) as span:
            try:
                yield span
            except BaseException as exc:
                mark_failed(span, exc)
                raise
            finally:
                span.set_attributes(attributes(state))


def stage_spans(provider: TracerProvider | None) -> StageSpans | None:
    return StageSpans(provider.get_tracer(INSTRUMENTATION)) if provider is not None else None


def request_attributes(state: TurnState) -> Attributes:
    request = state.request
    return {"clinqa.mode": request.mode.value, "clinqa.mag": request.mag.value,
            "clinqa.patient.present": request.patient_id is not None,
            "clinqa.history.turns": len(request.history), "clinqa.images": len(request.images)}


def turn_attributes(state: TurnState) -> Attributes:
    reading, selection = state.reading, state.selection
    attrs: Attributes = {
        "clinqa.index.version": state.index.version,
        "clinqa.retrieval": state.index.retrieval,
        "clinqa.queries": len(state.queries),
        "clinqa.evidence": len(state.evidence),
        "clinqa.selected_k": selection.k if selection is not None else 0,
        "clinqa.status": reading.status.value if reading is not None else "no_evidence",
        "clinqa.notices": sorted({n.kind.value for n in state.notices}),
    }
    if "total" in state.timings:
        attrs["clinqa.duration_ms"] = round(state.timings["total"], 3)
    return attrs


def stage_attributes(name: str, state: TurnState) -> Attributes:
    """What the stage `name` decided, as counts and vocabulary words (no text of the turn)."""
    attrs: Attributes = {"clinqa.stage": name}
    if name == "patient_context" and state.patient is not None:
        patient = state.patient
        attrs.update({"clinqa.records.snippets": len(patient.snippets),
                      "clinqa.records.read": len(patient.records_read),
                      "clinqa.patient.medications": len(patient.current_medications),
                      "clinqa.patient.allergies": len(patient.allergies)})
    elif name == "distill":
        distilled = state.distilled
        attrs.update({"clinqa.distill.backend": distilled.backend,
                      "clinqa.queries": len(distilled.queries),
                      # the label sections asked about: words of the attribute vocabulary, not the user's
                      "clinqa.queries.attributes": sorted({q.attribute for q in distilled.queries if q.attribute}),
                      "clinqa.unknown_drugs": len(distilled.unknown_drugs),
                      "clinqa.clarify": bool(distilled.clarify)})
    elif name == "medication_partners":
        attrs.update({"clinqa.partners": len(state.partners), "clinqa.queries": len(state.queries)})
    elif name == "retrieve":
        attrs.update({"clinqa.queries": len(state.queries), "clinqa.evidence": len(state.evidence),
                      "clinqa.retrieval": state.index.retrieval, "clinqa.index.version": state.index.version})
    elif name == "select" and state.selection is not None:
        mode = state.selection.audit.get("mode")
        attrs.update({"clinqa.selected_k": state.selection.k, "clinqa.evidence": len(state.evidence)})
        if isinstance(mode, str):
            attrs["clinqa.select.mode"] = mode
    elif name == "read" and state.reading is not None:
        reading = state.reading
        attrs.update({"clinqa.reader": reading.reader, "clinqa.status": reading.status.value,
                      "clinqa.citations": len(reading.citations), "clinqa.answer.chars": len(reading.text),
                      "clinqa.selected_k": len(state.selected)})
    elif name == "patient_outcome":
        attrs.update({"clinqa.allergy_conflicts": len(state.allergy_conflicts),
                      "clinqa.record_citations": len(state.record_citations)})
    return attrs
