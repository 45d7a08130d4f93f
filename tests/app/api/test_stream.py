"""SSE on /v1/chat, /metrics, request ids and JSON logs, the patient list and the web page."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from app.api.logging import REQUEST_ID, JsonFormatter, RequestIdFilter
from tests.app.api.conftest import sse_events


def test_chat_stream_stage_events(client: TestClient) -> None:
    with client.stream("POST", "/v1/chat", json={"message": "What is metformin used for?", "stream": True}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r.read().decode())
    names = [n for n, _ in events]
    assert names[:3] == ["conversation", "queries", "evidence"] and names[-1] == "done"
    assert set(names[3:-1]) == {"token"} and len(names) > 6
    queries, evidence, done = events[1][1], events[2][1], events[-1][1]
    assert queries["queries"][0]["medicine"] == "metformin"
    assert evidence["k"] == len(evidence["evidence"]) and evidence["evidence"][0]["text"]
    assert "".join(d["text"] for n, d in events if n == "token") == done["answer"]
    assert done["citations"] and done["conversation_id"] == events[0][1]["conversation_id"]
    stored = client.get(f"/v1/conversations/{done['conversation_id']}").json()["turns"]
    assert [t["role"] for t in stored] == ["user", "assistant"] and stored[1]["content"] == done["answer"]


def test_accept_header_streams_and_early_problems_are_json(client: TestClient) -> None:
    r = client.post("/v1/chat", json={"message": "ibuprofen dose"}, headers={"accept": "text/event-stream"})
    assert r.headers["content-type"].startswith("text/event-stream")
    assert sse_events(r.text)[-1][0] == "done"
    # problems found before the message is stored are ordinary problem+json, not streams
    bad = client.post("/v1/chat", json={"message": "hi", "conversation_id": "nope", "stream": True})
    assert bad.status_code == 404 and bad.headers["content-type"].startswith("application/problem+json")


def test_stream_error_event_keeps_the_message(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    orchestrator = client.app.state.components.orchestrator  # type: ignore[attr-defined]

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(orchestrator, "answer", broken)
    events = sse_events(client.post("/v1/chat", json={"message": "What is metformin used for?", "stream": True}).text)
    assert [n for n, _ in events] == ["conversation", "error"]
    assert events[1][1]["status"] == 500 and events[1][1]["detail"]
    monkeypatch.undo()
    conv = events[0][1]["conversation_id"]
    turns = client.get(f"/v1/conversations/{conv}").json()["turns"]
    assert turns[0]["content"] == "What is metformin used for?" and turns[1]["status"] == "error"
    assert client.post("/v1/chat", json={"conversation_id": conv, "message": "And the dose?"}).status_code == 200


def test_metrics(client: TestClient) -> None:
    client.post("/v1/chat", json={"message": "What is metformin used for?"})
    client.get("/v1/conversations/nope")
    text = client.get("/metrics").text
    assert 'clinqa_http_requests_total{method="POST",route="/v1/chat",status="200"} 1.0' in text
    assert 'route="/v1/conversations/{conversation_id}",status="404"' in text
    for stage in ("distill", "retrieve", "select", "read", "total"):
        assert f'clinqa_stage_duration_seconds_count{{stage="{stage}"}} 1.0' in text
    assert 'clinqa_answers_total{mode="drr",status="answered"} 1.0' in text
    version = client.get("/readyz").json()["index"]["version"]
    assert f'version="{version}"' in text and "clinqa_index_info{" in text
    assert "clinqa_http_request_duration_seconds_bucket" in text and "# TYPE clinqa_model_errors_total" in text


def test_request_id_header_and_json_logs(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    served = r.headers["x-request-id"]
    assert served != "abc-123" and len(served) == 32  # the server names its requests; clients cannot
    with caplog.at_level(logging.INFO, logger="clinqa.access"):
        rid = client.get("/healthz", headers={"X-Request-ID": "req-42"}).headers["x-request-id"]
        client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    access = [rec for rec in caplog.records if rec.name == "clinqa.access"]
    assert len(access) >= 2 and getattr(access[-2], "request_id", None) == rid
    line = json.loads(JsonFormatter().format(access[-2]))
    assert line["request_id"] == rid and line["client_request_id"] == "req-42"
    assert line["status"] == 200 and line["route"] == "/healthz"
    assert json.loads(JsonFormatter().format(access[-1]))["client_request_id"] is None  # not a sane token

    token = REQUEST_ID.set("ctx-1")
    try:
        rec = logging.LogRecord("x", logging.WARNING, __file__, 1, "hello %s", ("there",), None)
        RequestIdFilter().filter(rec)
        out = json.loads(JsonFormatter().format(rec))
    finally:
        REQUEST_ID.reset(token)
    assert out["message"] == "hello there" and out["request_id"] == "ctx-1" and out["level"] == "WARNING"


def test_patient_list_and_web_page(client: TestClient) -> None:
    assert client.get("/v1/patients").json() == []
    client.post("/v1/patients", json={"patient_id": "p-2", "name": "Bo"})
    client.post("/v1/patients", json={"patient_id": "p-1"})
    client.post("/v1/patients/p-1/records", json={"date": "2024-01-01", "kind": "visit_note", "text": "Well."})
    assert client.get("/v1/patients").json() == [
        {"patient_id": "p-1", "name": None, "n_records": 1}, {"patient_id": "p-2", "name": "Bo", "n_records": 0}]
    assert [p["patient_id"] for p in client.get("/v1/patients?limit=1&offset=1").json()] == ["p-2"]
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="question"' in page.text and "/v1/chat" in page.text and "/v1/patients" in page.text
