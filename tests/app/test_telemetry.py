"""OpenTelemetry: off unless the OTEL_* variables ask; a span per request, turn and stage with the stage's
counts, never the turn's text; OTLP/HTTP export reaches a collector."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from app.main import create_app
from app.telemetry import otlp_traces_endpoint, provider_from_env, tracing_wanted

# What the user and the records say: none of it may reach a span.
NAME = "Zebulon Quartermaine"
MESSAGE = "I am Zebulon and I have atrial fibrillation. Can I take ibuprofen for my back pain?"
RECORD = "Current medications:\n- Warfarin 5 mg daily for atrial fibrillation"
SECRETS = ("zebulon", "quartermaine", "warfarin", "ibuprofen", "fibrillation", "p-secret-77")


def test_tracing_is_off_unless_the_otel_variables_ask() -> None:
    endpoint = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}
    assert tracing_wanted({}) is None and provider_from_env({}) is None
    assert tracing_wanted({"OTEL_SERVICE_NAME": "x"}) is None  # a name alone exports nothing
    assert tracing_wanted(endpoint) == "otlp"
    assert tracing_wanted({**endpoint, "OTEL_SDK_DISABLED": "true"}) is None
    assert tracing_wanted({**endpoint, "OTEL_TRACES_EXPORTER": "none"}) is None
    assert tracing_wanted({**endpoint, "OTEL_TRACES_EXPORTER": "zipkin"}) is None  # not installed: off, warned
    assert tracing_wanted({"OTEL_TRACES_EXPORTER": "console"}) == "console"
    assert otlp_traces_endpoint(endpoint) == "http://collector:4318/v1/traces"
    assert otlp_traces_endpoint({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318/"}) == "http://c:4318/v1/traces"
    assert otlp_traces_endpoint({**endpoint, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://t:9/x"}) == "http://t:9/x"


@pytest.fixture()
def spans() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def _text_values(span: ReadableSpan) -> list[str]:
    values: list[str] = [span.name, span.status.description or ""]
    for value in (span.attributes or {}).values():
        values.extend(str(v) for v in (value if isinstance(value, Sequence) and not isinstance(value, str)
                                       else [value]))
    for event in span.events:
        values.extend(str(v) for v in (event.attributes or {}).values())
    return values


def test_a_span_per_request_turn_and_stage_without_the_turns_text(
        settings_factory: Callable[..., Any], spans: tuple[TracerProvider, InMemorySpanExporter]) -> None:
    provider, exporter = spans
    with TestClient(create_app(settings_factory(), tracer_provider=provider)) as client:
        assert client.post("/v1/patients", json={"patient_id": "p-secret-77", "name": NAME}).status_code == 201
        assert client.post("/v1/patients/p-secret-77/records", json={
            "record_id": "meds", "date": "2024-03-01", "kind": "medication_list", "text": RECORD}).status_code == 201
        exporter.clear()
        caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
        r = client.post("/v1/chat", json={"message": MESSAGE, "patient_id": "p-secret-77"},
                        headers={"traceparent": f"00-{caller_trace}-00f067aa0ba902b7-01"})
        assert r.status_code == 200, r.text
        answer = r.json()
        finished = exporter.get_finished_spans()

    by_name = {s.name: s for s in finished}
    request = by_name["POST /v1/chat"]
    assert request.kind == SpanKind.SERVER and request.attributes is not None
    assert request.attributes["http.route"] == "/v1/chat" and request.attributes["http.response.status_code"] == 200
    assert request.attributes["clinqa.request_id"] == r.headers["x-request-id"]
    assert format(request.context.trace_id, "032x") == caller_trace  # the caller's trace continues

    turn = by_name["clinqa.turn"]
    assert turn.parent is not None and turn.parent.span_id == request.context.span_id
    assert turn.attributes is not None
    assert turn.attributes["clinqa.status"] == answer["status"]
    assert turn.attributes["clinqa.index.version"] == answer["audit"]["index_version"]
    assert turn.attributes["clinqa.selected_k"] == answer["k"]
    assert turn.attributes["clinqa.patient.present"] is True

    stages = [s for s in finished if s.name.startswith("clinqa.stage.")]
    timed = [k for k in answer["audit"]["timings_ms"] if k != "total" and "." not in k]
    assert [s.name.removeprefix("clinqa.stage.") for s in stages] == timed  # one span per stage, in order
    assert {"patient_context", "distill", "medication_partners", "retrieve", "select", "read",
            "patient_outcome"} <= set(timed)
    for s in stages:
        assert s.parent is not None and s.parent.span_id == turn.context.span_id
        assert s.attributes is not None and s.attributes["clinqa.mode"] == "drr"
    attrs = {s.name.removeprefix("clinqa.stage."): dict(s.attributes or {}) for s in stages}
    assert attrs["distill"]["clinqa.queries"] == 1  # ibuprofen; the partners stage adds warfarin's
    assert attrs["medication_partners"]["clinqa.queries"] == len(answer["queries"]) == 2
    assert attrs["retrieve"]["clinqa.evidence"] == answer["audit"]["evidence_retrieved"] > 0
    assert attrs["select"]["clinqa.selected_k"] == answer["k"]
    assert attrs["read"]["clinqa.status"] == answer["status"]
    assert attrs["read"]["clinqa.citations"] == len(answer["citations"])
    records = answer["audit"]["records"]
    assert attrs["patient_context"]["clinqa.patient.medications"] == len(records["current_medications"]) == 1
    assert attrs["medication_partners"]["clinqa.partners"] == len(records["medication_partners"]) == 1

    for s in finished:  # no text of the turn, the patient or the records in any span
        leaked = [v for v in _text_values(s) if any(secret in v.lower() for secret in SECRETS)]
        assert not leaked, (s.name, leaked)


def test_a_failed_stage_marks_its_spans_without_the_message(
        settings_factory: Callable[..., Any], spans: tuple[TracerProvider, InMemorySpanExporter],
        monkeypatch: pytest.MonkeyPatch) -> None:
    provider, exporter = spans
    with TestClient(create_app(settings_factory(), tracer_provider=provider)) as client:
        retriever = client.app.state.components.orchestrator.stage("retrieve")  # type: ignore[attr-defined]

        def broken(state: Any) -> None:
            raise RuntimeError(f"cannot search for {state.question}")

        monkeypatch.setattr(retriever, "run", broken)
        r = client.post("/v1/chat", json={"message": MESSAGE})
        assert r.status_code >= 500
    failed = {s.name: s for s in exporter.get_finished_spans()}
    for name in ("clinqa.stage.retrieve", "clinqa.turn"):
        span = failed[name]
        assert not span.status.is_ok and span.status.description == "RuntimeError"
        assert span.attributes is not None and span.attributes["error.type"] == "RuntimeError"
    assert "clinqa.stage.read" not in failed
    for s in failed.values():
        assert not [v for v in _text_values(s) if any(secret in v.lower() for secret in SECRETS)], s.name


class _Collector(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        self.received.append((self.path, self.headers.get("content-type", ""), body))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_otlp_http_export_reaches_a_collector(settings_factory: Callable[..., Any],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    _Collector.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for name in ("OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    try:
        provider = provider_from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{server.server_port}"})
        assert provider is not None
        with TestClient(create_app(settings_factory(), tracer_provider=provider)) as client:
            assert client.post("/v1/chat", json={"message": "What is the dose of metformin?"}).status_code == 200
        provider.shutdown()  # flushes the batch
    finally:
        server.shutdown()
        server.server_close()

    assert _Collector.received, "nothing reached the collector"
    names: set[str] = set()
    services: set[str] = set()
    for path, content_type, body in _Collector.received:
        assert path == "/v1/traces" and content_type == "application/x-protobuf"
        export = ExportTraceServiceRequest.FromString(body)
        for resource_spans in export.resource_spans:
            services.update(a.value.string_value for a in resource_spans.resource.attributes
                            if a.key == "service.name")
            for scope_spans in resource_spans.scope_spans:
                names.update(s.name for s in scope_spans.spans)
    assert services == {"clinqa"}
    assert {"POST /v1/chat", "clinqa.turn", "clinqa.stage.retrieve", "clinqa.stage.read"} <= names
