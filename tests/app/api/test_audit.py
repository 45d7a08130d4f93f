"""GET /v1/admin/audit (issue 21): the record-access log for the admin scope, filtered and paged, and as FHIR R4
AuditEvent resources in the IHE Basic Audit Log Patterns shape, validated against the fhir.resources model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.auditevent import AuditEvent
from fhir.resources.R4B.bundle import Bundle

from app.main import create_app
from app.records.synthea import read_export
from app.services.access_log import PATIENT_QUERY, PATIENT_READ
from app.services.keys import KeyService
from tests.app.records.conftest import ADA, BOB, SYNTHEA_MINI

Headers = dict[str, str]


@pytest.fixture()
def audited(settings_factory: Callable[..., Any]) -> Iterator[tuple[TestClient, Headers, Headers, str]]:
    """A server with the mini Synthea patients and a few reads logged: by a records key (list, get, search of
    Ada's records; a chat about Bob) and one chat about Ada by a second key."""
    with TestClient(create_app(settings_factory(auth={"enabled": True})), raise_server_exceptions=False) as client:
        c = client.app.state.components  # type: ignore[attr-defined]
        export = read_export(SYNTHEA_MINI)
        c.records.store.import_records(export.records, export.patients)
        keys = KeyService(c.db)
        admin = {"Authorization": f"Bearer {keys.create('admin').key}"}
        reader_key = keys.create("chat,records:read")
        reader = {"Authorization": f"Bearer {reader_key.key}", "X-Request-ID": "client-req-1"}
        other = {"Authorization": f"Bearer {keys.create('chat,records:read').key}"}
        records = client.get(f"/v1/patients/{ADA}/records", headers=reader).json()
        assert client.get(f"/v1/patients/{ADA}/records/{records[0]['record_id']}", headers=reader).status_code == 200
        assert client.get(f"/v1/patients/{ADA}/records/search?q=warfarin", headers=reader).status_code == 200
        assert client.post("/v1/chat", json={"message": "Can I take ibuprofen?", "patient_id": BOB},
                           headers=reader).status_code == 200
        assert client.post("/v1/chat", json={"message": "Can I take ibuprofen?", "patient_id": ADA},
                           headers=other).status_code == 200
        yield client, admin, reader, reader_key.id


def test_only_the_admin_scope_reads_the_audit_log(audited: tuple[TestClient, Headers, Headers, str]) -> None:
    client, admin, reader, _ = audited
    assert client.get("/v1/admin/audit").status_code == 401
    assert client.get("/v1/admin/audit", headers=reader).status_code == 403
    r = client.get("/v1/admin/audit", headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 5 and [e["action"] for e in body["entries"]] == ["list", "get", "search", "chat", "chat"]
    assert [e["id"] for e in body["entries"]] == sorted(e["id"] for e in body["entries"])  # oldest first


def test_filters_by_patient_key_action_and_time(audited: tuple[TestClient, Headers, Headers, str]) -> None:
    client, admin, _, reader_id = audited

    def get(**params: Any) -> dict[str, Any]:
        r = client.get("/v1/admin/audit", params=params, headers=admin)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    ada = get(patient_id=ADA)
    assert ada["total"] == 4 and {e["patient_id"] for e in ada["entries"]} == {ADA}
    mine = get(key_id=reader_id)
    assert mine["total"] == 4 and {e["key_id"] for e in mine["entries"]} == {reader_id}
    assert {e["client_request_id"] for e in mine["entries"]} == {"client-req-1"}
    both = get(key_id=reader_id, patient_id=ADA, action="get")
    assert both["total"] == 1 and len(both["entries"][0]["record_ids"]) == 1
    now = datetime.now(UTC)
    assert get(since=(now - timedelta(hours=1)).isoformat())["total"] == 5
    assert get(since=(now + timedelta(hours=1)).isoformat())["total"] == 0
    assert get(until=(now - timedelta(hours=1)).isoformat())["total"] == 0
    assert get(patient_id="nobody")["entries"] == []


def test_paging_is_bounded(audited: tuple[TestClient, Headers, Headers, str]) -> None:
    client, admin, _, _ = audited
    pages = [client.get("/v1/admin/audit", params={"limit": 2, "offset": o}, headers=admin).json()
             for o in (0, 2, 4)]
    ids = [e["id"] for p in pages for e in p["entries"]]
    assert [len(p["entries"]) for p in pages] == [2, 2, 1] and len(set(ids)) == 5
    assert all(p["total"] == 5 and p["limit"] == 2 for p in pages)
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"since": "yesterday"},
                {"since": "2030-01-01T00:00:00Z", "until": "2020-01-01T00:00:00Z"}, {"format": "xml"}):
        r = client.get("/v1/admin/audit", params=bad, headers=admin)
        assert r.status_code == 422, (bad, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


def test_fhir_audit_events_validate_and_carry_the_balp_shape(
    audited: tuple[TestClient, Headers, Headers, str],
) -> None:
    client, admin, _, reader_id = audited
    r = client.get("/v1/admin/audit", params={"format": "fhir"}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    bundle = Bundle.model_validate(r.json())
    assert bundle.type == "searchset" and bundle.total == 5 and bundle.entry is not None
    events = [AuditEvent.model_validate(e["resource"]) for e in r.json()["entry"]]  # each from its JSON
    assert len(events) == 5
    plain = client.get("/v1/admin/audit", headers=admin).json()["entries"]
    for event, row in zip(events, plain, strict=True):
        assert event.meta is not None and event.meta.profile is not None
        assert event.meta.profile == [PATIENT_QUERY if row["action"] in ("list", "search") else PATIENT_READ]
        assert event.type.code == "rest" and event.outcome == "0"
        assert event.action == ("E" if row["action"] in ("list", "search") else "R")
        assert event.recorded.astimezone(UTC) == datetime.fromisoformat(row["at"])
        client_agent, server_agent = event.agent
        assert client_agent.requestor is True and server_agent.requestor is False
        assert client_agent.who is not None and client_agent.who.identifier is not None
        assert client_agent.who.identifier.value == row["key_id"]
        assert event.entity is not None
        patient = event.entity[0]
        assert patient.what is not None and patient.what.reference == f"Patient/{row['patient_id']}"
        assert patient.role is not None and patient.role.code == "1"
        record_ids = [e.what.identifier.value for e in event.entity[1:]
                      if e.role is not None and e.role.code == "4" and e.what and e.what.identifier]
        assert record_ids == row["record_ids"] and record_ids
    first = events[0]
    assert first.entity is not None
    request_ids = [e.what.identifier.value for e in first.entity
                   if e.type is not None and e.type.code == "XrequestId" and e.what and e.what.identifier]
    assert "client-req-1" in request_ids and len(request_ids) == 2
    # filtered the same way as the JSON
    only_bob = client.get("/v1/admin/audit", params={"format": "fhir", "patient_id": BOB}, headers=admin).json()
    assert only_bob["total"] == 1
    assert only_bob["entry"][0]["resource"]["entity"][0]["what"]["reference"] == f"Patient/{BOB}"
    assert reader_id in str(only_bob)
