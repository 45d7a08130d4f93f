"""The patients API, chat with a patient (MAG), and its validation errors (problem+json, never a 500)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.main import create_app
from tests.app.records.conftest import ADA, BOB, REPORT_A, REPORT_B, SYNTHEA_MINI

PROBLEM = "application/problem+json"


@pytest.fixture()
def settings(settings_factory: Callable[..., Any]) -> Any:
    return settings_factory()


@pytest.fixture()
def client(settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture()
def synthea_client(settings: Any, client: TestClient) -> TestClient:
    """The mini Synthea export imported with the CLI into the database the API serves."""
    result = CliRunner().invoke(cli, ["records", "import", str(SYNTHEA_MINI), "--database-url", settings.database_url])
    assert result.exit_code == 0, result.output
    return client


def record(day: str, text: str, kind: str = "radiology_report", **extra: Any) -> dict[str, Any]:
    return {"date": day, "kind": kind, "text": text, **extra}


def problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["detail"]
    return body


def test_patient_and_record_lifecycle(client: TestClient) -> None:
    r = client.post("/v1/patients", json={"patient_id": "p-1", "name": "Ann", "birth_date": "1960-02-03", "sex": "F"})
    assert r.status_code == 201 and r.json()["n_records"] == 0
    assert "already exists" in problem(client.post("/v1/patients", json={"patient_id": "p-1"}), 409)["detail"]

    r = client.post("/v1/patients/p-1/records", json=record("2020-01-02", REPORT_A, record_id="cxr-1"))
    assert r.status_code == 201 and r.json() == {"patient_id": "p-1", "added": 1, "replaced": 0,
                                                  "record_ids": ["cxr-1"]}
    r = client.post("/v1/patients/p-1/records", json=[
        record("2021-03-04", "Current medications:\n- Warfarin 5 MG", "medication_list", record_id="meds"),
        record("2019-05-06", "Visit note: cough.", "visit_note", patient_id="p-1"),
    ])
    assert r.status_code == 201 and r.json()["added"] == 2
    problem(client.post("/v1/patients/p-1/records", json=record("2020-01-02", "x", record_id="cxr-1")), 409)
    r = client.post("/v1/patients/p-1/records?replace=true", json=record("2020-01-02", REPORT_A + " Addendum.",
                                                                          record_id="cxr-1"))
    assert r.json()["replaced"] == 1

    listed = client.get("/v1/patients/p-1/records").json()
    assert [x["date"] for x in listed] == ["2021-03-04", "2020-01-02", "2019-05-06"]
    assert [x["record_id"] for x in client.get("/v1/patients/p-1/records?kind=visit_note").json()] == [
        listed[2]["record_id"]
    ]
    assert client.get("/v1/patients/p-1/records/cxr-1").json()["text"].endswith("Addendum.")
    patient = client.get("/v1/patients/p-1").json()
    assert patient["n_records"] == 3 and patient["kinds"]["radiology_report"] == 1
    assert patient["latest_record"] == "2021-03-04"

    hits = client.get("/v1/patients/p-1/records/search", params={"q": "left lower lobe pneumonia"}).json()
    assert hits[0]["record"]["record_id"] == "cxr-1"

    assert client.delete("/v1/patients/p-1/records/cxr-1").status_code == 204
    problem(client.delete("/v1/patients/p-1/records/cxr-1"), 404)
    problem(client.get("/v1/patients/p-1/records/cxr-1"), 404)
    assert client.get("/v1/patients/p-1").json()["n_records"] == 2


def test_search_over_the_api_is_per_patient(client: TestClient) -> None:
    for pid, text in (("a", REPORT_A), ("b", REPORT_B)):
        client.post("/v1/patients", json={"patient_id": pid})
        client.post(f"/v1/patients/{pid}/records", json=record("2020-01-01", text, record_id=f"{pid}-1"))
    for q in ("granuloma hyperinflated", "pleural effusion", "IMPRESSION heart"):
        hits = client.get("/v1/patients/a/records/search", params={"q": q, "k": 50}).json()
        assert {h["record"]["patient_id"] for h in hits} <= {"a"}, q
    # A new record is searchable at once.
    client.post("/v1/patients/a/records", json=record("2022-01-01", "Quokka bite.", "visit_note", record_id="a-2"))
    hits = client.get("/v1/patients/a/records/search", params={"q": "quokka"}).json()
    assert hits[0]["record"]["record_id"] == "a-2"


@pytest.mark.parametrize(
    ("method", "path", "payload", "status"),
    [
        ("post", "/v1/patients", {}, 422),
        ("post", "/v1/patients", {"patient_id": ""}, 422),
        ("post", "/v1/patients", {"patient_id": "has space"}, 422),
        ("post", "/v1/patients", {"patient_id": 5}, 422),
        ("post", "/v1/patients", {"patient_id": "x" * 129}, 422),
        ("post", "/v1/patients", {"patient_id": "ok", "birth_date": "yesterday"}, 422),
        ("post", "/v1/patients", {"patient_id": "ok", "unknown": 1}, 422),
        ("post", "/v1/patients", "not json", 422),
        ("get", "/v1/patients/nobody", None, 404),
        ("post", "/v1/patients/nobody/records", record("2020-01-01", "x"), 404),
        ("post", "/v1/patients/p/records", [], 422),
        ("post", "/v1/patients/p/records", "just text", 422),
        ("post", "/v1/patients/p/records", ["just text"], 422),
        ("post", "/v1/patients/p/records", {"date": "2020-01-01", "kind": "note"}, 422),
        ("post", "/v1/patients/p/records", record("2020-02-30", "x"), 422),
        ("post", "/v1/patients/p/records", record("2020-01-01", "   "), 422),
        ("post", "/v1/patients/p/records", record("2020-01-01", "x", "x-ray report"), 422),
        ("post", "/v1/patients/p/records", record("2020-01-01", "x", regions=["not", "a", "map"]), 422),
        ("post", "/v1/patients/p/records", record("2020-01-01", "x", images="one.jpg"), 422),
        ("post", "/v1/patients/p/records", record("2020-01-01", "x", patient_id="someone-else"), 422),
        ("post", "/v1/patients/p/records", [record("2020-01-01", "ok"), record("bad", "x")], 422),
        ("post", "/v1/patients/p/records", [record("2020-01-01", "x", record_id="d")] * 2, 409),
        ("post", "/v1/patients/p/records", [record("2020-01-01", f"r{i}") for i in range(1001)], 413),
        ("get", "/v1/patients/p/records?limit=0", None, 422),
        ("get", "/v1/patients/p/records/search", None, 422),
        ("get", "/v1/patients/p/records/search?q=x&k=0", None, 422),
        ("delete", "/v1/patients/p/records/none", None, 404),
        ("get", "/v1/patients/nobody/records/search?q=x", None, 404),
        ("post", "/v1/chat", {"message": "hi", "patient_id": "nobody"}, 404),
        ("post", "/v1/chat", {"message": "hi", "patient_id": "p", "mag": "some"}, 422),
    ],
)
def test_errors_are_problem_json(client: TestClient, method: str, path: str, payload: Any, status: int) -> None:
    client.post("/v1/patients", json={"patient_id": "p"})
    if isinstance(payload, str):
        r = client.request(method, path, content=payload, headers={"content-type": "application/json"})
    else:
        r = client.request(method, path, json=payload)
    problem(r, status)


def queries(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {(q["medicine"], q["attribute"]) for q in body["queries"]}


def test_chat_for_a_synthea_patient_asks_about_their_medication(synthea_client: TestClient) -> None:
    body = synthea_client.post(
        "/v1/chat", json={"message": "Can I take ibuprofen for my back pain?", "patient_id": ADA}
    ).json()
    assert {("ibuprofen", "interactions"), ("warfarin-sodium", "interactions")} <= queries(body)
    assert any(c["medicine_id"] == "warfarin-sodium" and "ibuprofen" in c["quote"].lower()
               for c in body["citations"])
    kinds = [(rc["kind"], rc["scope"]) for rc in body["record_citations"]]
    assert ("medication_list", "global") in kinds and ("medication", "regional") in kinds
    records = body["audit"]["records"]
    assert records["mag"] == "all" and records["patient_id"] == ADA
    assert {u["record_id"] for u in records["used"]} == {rc["record_id"] for rc in body["record_citations"]}
    assert "Warfarin" in body["notice"]

    # Without MAG the same question is only about ibuprofen.
    plain = synthea_client.post(
        "/v1/chat", json={"message": "Can I take ibuprofen for my back pain?", "patient_id": ADA, "mag": "none"}
    ).json()
    assert {m for m, _ in queries(plain)} == {"ibuprofen"} and plain["record_citations"] == []


def test_a_conversation_keeps_its_patient(synthea_client: TestClient) -> None:
    first = synthea_client.post("/v1/chat", json={"message": "I have a headache.", "patient_id": ADA}).json()
    conv = first["conversation_id"]
    second = synthea_client.post("/v1/chat", json={"conversation_id": conv, "message": "Can I take ibuprofen?"})
    assert ("warfarin-sodium", "interactions") in queries(second.json())
    assert synthea_client.get(f"/v1/conversations/{conv}").json()["patient_id"] == ADA
    problem(synthea_client.post("/v1/chat", json={"conversation_id": conv, "message": "and now?",
                                                  "patient_id": BOB}), 409)


def test_allergy_is_flagged(synthea_client: TestClient) -> None:
    body = synthea_client.post("/v1/chat", json={"message": "Can I take ibuprofen?", "patient_id": BOB}).json()
    assert body["notice"].startswith("Allergy alert") and "Ibuprofen allergy" in body["notice"]
    assert body["audit"]["records"]["allergy_conflicts"] == [
        {"medicine_id": "ibuprofen", "allergy": "Ibuprofen allergy (recorded 2012-04-04)", "how": "name"}
    ]
    # The answer itself is still made only of quoted, cited label sentences.
    for c in body["citations"]:
        assert c["quote"] in body["answer"]
