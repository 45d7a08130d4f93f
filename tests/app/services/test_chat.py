"""The chat service's guarantees that do not depend on the HTTP layer: medication partners with any
distiller, and the record-access log written when the turn completes, whatever the client does after."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.main import create_app
from app.models import RecordAccess
from app.records.synthea import read_export
from tests.app.records.conftest import ADA, SYNTHEA_MINI
from tests.fakes.openai_server import FakeOpenAIServer, tool_calls


def _client_with_patients(settings: Any) -> TestClient:
    client = TestClient(create_app(settings)).__enter__()
    export = read_export(SYNTHEA_MINI)
    client.app.state.components.records.store.import_records(export.records, export.patients)  # type: ignore[attr-defined]
    return client


def test_model_distiller_gets_the_patients_medication_partners(
    settings_factory: Callable[..., Any], fake_openai: FakeOpenAIServer
) -> None:
    """Regression: with CLINQA_DISTILL__BACKEND=llm the partners from the patient's medication list were
    never added (only the rules stage added them)."""
    llm = {"backend": "openai_compat", "base_url": fake_openai.url, "model": "fake-qwen", "max_retries": 0,
           "timeout_s": 5.0}
    client = _client_with_patients(settings_factory(llm=llm, distill={"backend": "llm"},
                                                    read={"backend": "extractive"}))
    try:
        fake_openai.script(tool_calls(("search_medicine_database",
                                       {"medicine": "ibuprofen", "attribute": "interactions",
                                        "keywords": "ibuprofen back pain"})))
        r = client.post("/v1/chat", json={"message": "Can I take ibuprofen for my back pain?", "patient_id": ADA})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["audit"]["distill"]["backend"] == "llm"
        queries = {(q["medicine"], q["attribute"]) for q in body["queries"]}
        assert ("warfarin-sodium", "interactions") in queries and ("ibuprofen", "interactions") in queries
        assert "Checked against current medications" in body["notice"]
        assert [n["kind"] for n in body["notices"]].count("medication_partners") == 1
        assert body["audit"]["records"]["medication_partners"][0]["medicine_id"] == "warfarin-sodium"
    finally:
        client.__exit__(None, None, None)


def _access_rows(client: TestClient, patient_id: str) -> list[RecordAccess]:
    db = client.app.state.components.db  # type: ignore[attr-defined]
    with db.session() as s:
        return list(s.scalars(select(RecordAccess).where(RecordAccess.patient_id == patient_id)).all())


def test_streamed_chat_abandoned_after_the_first_event_still_logs_the_record_read(
    settings_factory: Callable[..., Any],
) -> None:
    client = _client_with_patients(settings_factory())
    try:
        body = {"message": "Can I take ibuprofen for my back pain?", "patient_id": ADA, "stream": True}
        with client.stream("POST", "/v1/chat", json=body) as r:
            assert r.status_code == 200
            first = next(r.iter_lines())
            assert first.startswith("event: conversation")
        # the client has gone; the turn finishes in its worker thread and the service logs the read
        deadline = time.monotonic() + 30
        while not (rows := _access_rows(client, ADA)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(rows) == 1
        assert rows[0].action == "chat" and rows[0].record_ids
    finally:
        client.__exit__(None, None, None)


def test_every_chat_path_logs_the_records_it_read(settings_factory: Callable[..., Any]) -> None:
    client = _client_with_patients(settings_factory())
    try:
        question = "Can I take ibuprofen for my back pain?"
        assert client.post("/v1/chat", json={"message": question, "patient_id": ADA}).status_code == 200
        completions = {"model": "clinqa", "messages": [{"role": "user", "content": question}], "patient_id": ADA}
        assert client.post("/v1/chat/completions", json=completions).status_code == 200
        with client.stream("POST", "/v1/chat/completions", json={**completions, "stream": True}) as r:
            events = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: {")]
        assert events and events[-1]["choices"][0]["finish_reason"] == "stop"
        rows = _access_rows(client, ADA)
        assert len(rows) == 3 and {row.action for row in rows} == {"chat"}
    finally:
        client.__exit__(None, None, None)
