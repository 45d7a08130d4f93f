"""Conversation storage and the patients/records API against SQLite and PostgreSQL (`db_url`'s variants)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.db import Database
from app.main import create_app
from app.models import Conversation, Message, RecordAccess


def test_conversation_is_stored_and_read_back(settings_factory: Callable[..., Any], db_url: str) -> None:
    settings = settings_factory(database_url=db_url)
    with TestClient(create_app(settings)) as client:
        r1 = client.post("/v1/chat", json={"message": "I was put on warfarin last week."})
        assert r1.status_code == 200, r1.text
        conv = r1.json()["conversation_id"]
        r2 = client.post("/v1/chat", json={"conversation_id": conv, "message": "Can I take it with ibuprofen?"})
        assert r2.status_code == 200, r2.text
        turns = client.get(f"/v1/conversations/{conv}").json()["turns"]
    assert [t["role"] for t in turns] == ["user", "assistant", "user", "assistant"]

    # A second app on the same database (a restart) sees the same rows.
    with TestClient(create_app(settings_factory(database_url=db_url))) as client:
        again = client.get(f"/v1/conversations/{conv}")
        assert again.status_code == 200 and again.json()["turns"] == turns
    db = Database(db_url)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Conversation)) == 1
            assert s.scalar(select(func.count()).select_from(Message)) == 4
    finally:
        db.dispose()


def test_patients_and_records_round_trip(settings_factory: Callable[..., Any], db_url: str) -> None:
    with TestClient(create_app(settings_factory(database_url=db_url))) as client:
        assert client.post("/v1/patients", json={"patient_id": "p-1", "sex": "F"}).status_code == 201
        assert client.post("/v1/patients", json={"patient_id": "p-1"}).status_code == 409
        added = client.post("/v1/patients/p-1/records", json=[
            {"record_id": "r1", "date": "2024-03-01", "kind": "medication_list", "text": "Warfarin 5 MG"},
            {"record_id": "r2", "date": "2024-04-01", "kind": "radiology_report", "text": "Lungs are clear.",
             "regions": {"lung": "Lungs are clear."}},
        ])
        assert added.status_code == 201, added.text
        listed = client.get("/v1/patients/p-1/records").json()
        assert [r["record_id"] for r in listed] == ["r2", "r1"]  # newest first
        assert listed[0]["regions"] == {"lung": "Lungs are clear."}
        assert client.get("/v1/patients/p-1").json()["n_records"] == 2
        assert client.delete("/v1/patients/p-1/records/r1").status_code == 204
        assert client.get("/v1/patients/p-1/records/r1").status_code == 404
        assert [r["record_id"] for r in client.get("/v1/patients/p-1/records").json()] == ["r2"]
    db = Database(db_url)
    try:
        with db.session() as s:  # the reads were audited
            actions = s.scalars(select(RecordAccess.action).order_by(RecordAccess.id)).all()
        assert actions == ["list", "list"]
    finally:
        db.dispose()
