"""API keys (scopes, per-patient limits, revocation), the record-read audit table and the body-size limit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from app.cli import app as cli
from app.db import Database
from app.main import create_app
from app.models import ApiKey, RecordAccess
from app.services.keys import KeyService

PROBLEM = "application/problem+json"
MEDS = {"record_id": "meds", "date": "2024-03-01", "kind": "medication_list",
        "text": "Current medications:\n- Warfarin"}
CXR = {"record_id": "cxr", "date": "2024-04-01", "kind": "radiology_report", "text": "The lungs are clear."}


@dataclass
class Env:
    client: TestClient
    db: Database
    admin: str  # every scope, every patient
    only_a: str  # chat + records read/write, patient "a" only

    def h(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}


@pytest.fixture()
def env(settings_factory: Callable[..., Any]) -> Iterator[Env]:
    settings = settings_factory(auth={"enabled": True}, max_request_bytes=64_000)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        db: Database = client.app.state.components.db  # type: ignore[attr-defined]
        admin = KeyService(db).create("chat,records:read,records:write,admin").key
        only_a = KeyService(db).create(["chat", "records:read", "records:write"], ["a"]).key
        e = Env(client, db, admin, only_a)
        for pid in ("a", "b"):
            assert client.post("/v1/patients", json={"patient_id": pid}, headers=e.h(admin)).status_code == 201
            r = client.post(f"/v1/patients/{pid}/records", json=[MEDS, CXR], headers=e.h(admin))
            assert r.status_code == 201, r.text
        yield e


def problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = r.json()
    return body


def test_keys_are_stored_hashed_and_revocable(env: Env) -> None:
    created = KeyService(env.db).create("chat")
    with env.db.session() as s:
        row = s.get(ApiKey, created.id)
        assert row is not None and created.key.split("_", 2)[2] not in row.secret_hash
        assert created.key not in str(row.__dict__)
    assert KeyService(env.db).verify(created.key) is not None
    assert KeyService(env.db).verify(created.key + "x") is None
    assert KeyService(env.db).verify("cq_nosuchid_secret") is None
    assert KeyService(env.db).revoke(created.id)
    assert KeyService(env.db).verify(created.key) is None
    problem(env.client.get("/v1/conversations/x", headers=env.h(created.key)), 401)


def test_health_is_open_everything_else_needs_a_key(env: Env) -> None:
    assert env.client.get("/healthz").status_code == 200
    assert env.client.get("/readyz").status_code == 200
    for method, path in [("post", "/v1/chat"), ("get", "/v1/conversations/x"), ("post", "/v1/patients"),
                         ("get", "/v1/patients/a"), ("get", "/v1/patients/a/records"),
                         ("post", "/v1/patients/a/records"), ("get", "/v1/patients/a/records/meds"),
                         ("delete", "/v1/patients/a/records/meds"), ("get", "/v1/patients/a/records/search?q=x")]:
        body = problem(env.client.request(method, path, json={}), 401)
        assert "Bearer" in body["detail"]
        problem(env.client.request(method, path, json={}, headers={"Authorization": "Bearer cq_bad_key"}), 401)


def test_scopes_are_enforced(env: Env) -> None:
    chat_only = KeyService(env.db).create("chat").key
    reader = KeyService(env.db).create("records:read").key
    problem(env.client.get("/v1/patients/a/records", headers=env.h(chat_only)), 403)
    problem(env.client.post("/v1/patients/a/records", json=MEDS, headers=env.h(reader)), 403)
    problem(env.client.delete("/v1/patients/a/records/meds", headers=env.h(reader)), 403)
    problem(env.client.post("/v1/chat", json={"message": "warfarin dose?"}, headers=env.h(reader)), 403)
    assert env.client.get("/v1/patients/a/records", headers=env.h(reader)).status_code == 200
    assert env.client.post("/v1/chat", json={"message": "warfarin dose?"}, headers=env.h(chat_only)).status_code == 200


def test_a_patient_limited_key_never_sees_another_patient(env: Env) -> None:
    c, key = env.client, env.h(env.only_a)
    # allowed: patient a, on every route
    assert c.get("/v1/patients/a", headers=key).status_code == 200
    assert c.get("/v1/patients/a/records", headers=key).status_code == 200
    assert c.get("/v1/patients/a/records/meds", headers=key).status_code == 200
    assert c.get("/v1/patients/a/records/search?q=lungs", headers=key).status_code == 200
    assert c.post("/v1/patients/a/records", json={**CXR, "record_id": "new"}, headers=key).status_code == 201
    assert c.delete("/v1/patients/a/records/new", headers=key).status_code == 204
    mine = c.post("/v1/chat", json={"message": "Can I take ibuprofen?", "patient_id": "a"}, headers=key)
    assert mine.status_code == 200, mine.text
    assert c.get(f"/v1/conversations/{mine.json()['conversation_id']}", headers=key).status_code == 200
    # refused: patient b, on every route, as if b did not exist (404)
    problem(c.get("/v1/patients/b", headers=key), 404)
    problem(c.post("/v1/patients", json={"patient_id": "c"}, headers=key), 404)
    problem(c.get("/v1/patients/b/records", headers=key), 404)
    problem(c.get("/v1/patients/b/records/meds", headers=key), 404)
    problem(c.get("/v1/patients/b/records/search?q=lungs", headers=key), 404)
    problem(c.post("/v1/patients/b/records", json={**CXR, "record_id": "x"}, headers=key), 404)
    problem(c.delete("/v1/patients/b/records/meds", headers=key), 404)
    problem(c.post("/v1/chat", json={"message": "Can I take ibuprofen?", "patient_id": "b"}, headers=key), 404)
    theirs = c.post("/v1/chat", json={"message": "Can I take ibuprofen?", "patient_id": "b"}, headers=env.h(env.admin))
    conv_b = theirs.json()["conversation_id"]
    problem(c.get(f"/v1/conversations/{conv_b}", headers=key), 404)
    problem(c.post("/v1/chat", json={"conversation_id": conv_b, "message": "and aspirin?"}, headers=key), 404)
    # b's records are untouched
    assert len(c.get("/v1/patients/b/records", headers=env.h(env.admin)).json()) == 2


def test_record_reads_are_audited(env: Env) -> None:
    c, key = env.client, env.h(env.only_a)
    key_id = env.only_a.split("_")[1]
    c.get("/v1/patients/a/records", headers={**key, "X-Request-ID": "req-list"})
    c.get("/v1/patients/a/records/meds", headers={**key, "X-Request-ID": "req-get"})
    c.get("/v1/patients/a/records/search?q=lungs", headers={**key, "X-Request-ID": "req-search"})
    r = c.post("/v1/chat", json={"message": "Can I take ibuprofen?", "patient_id": "a"},
               headers={**key, "X-Request-ID": "req-chat"})
    assert r.status_code == 200
    with env.db.session() as s:
        found = list(s.scalars(select(RecordAccess).where(RecordAccess.key_id == key_id)))
    rows = {row.client_request_id: row for row in found}
    assert set(rows) == {"req-list", "req-get", "req-search", "req-chat"}
    # the correlation id is the server's own, never the one the client chose
    assert all(row.request_id and row.request_id != row.client_request_id for row in found)
    assert sorted(rows["req-list"].record_ids) == ["cxr", "meds"]
    assert rows["req-get"].record_ids == ["meds"] and rows["req-get"].action == "get"
    assert rows["req-search"].action == "search" and rows["req-search"].record_ids
    assert rows["req-chat"].action == "chat" and rows["req-chat"].patient_id == "a"
    assert all(row.at is not None for row in rows.values())


def test_body_size_limit_is_413_problem(env: Env) -> None:
    big = {"message": "x" * 70_000}
    body = problem(env.client.post("/v1/chat", json=big, headers=env.h(env.admin)), 413)
    assert "limit" in body["detail"]

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 1000

    problem(env.client.post("/v1/chat", content=chunks(), headers={**env.h(env.admin),
                                                                     "content-type": "application/json"}), 413)


def test_auth_off_by_default(settings_factory: Callable[..., Any]) -> None:
    with TestClient(create_app(settings_factory())) as client:
        assert client.post("/v1/chat", json={"message": "warfarin dose?"}).status_code == 200


def test_cli_keys_create_list_revoke(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    runner = CliRunner()
    out = runner.invoke(cli, ["keys", "create", "--scope", "chat,records:read", "--patient", "p1", "--patient", "p2",
                              "--database-url", url])
    assert out.exit_code == 0, out.output
    key = out.output.strip().splitlines()[-1]
    assert key.startswith("cq_")
    db = Database(url)
    try:
        principal = KeyService(db).verify(key)
        assert principal is not None and principal.patient_ids == {"p1", "p2"}
        assert principal.scopes == {"chat", "records:read"}
        listed = runner.invoke(cli, ["keys", "list", "--database-url", url])
        assert principal.key_id in listed.output and key not in listed.output
        assert runner.invoke(cli, ["keys", "revoke", principal.key_id or "", "--database-url", url]).exit_code == 0
        assert KeyService(db).verify(key) is None
        bad = runner.invoke(cli, ["keys", "create", "--scope", "root", "--database-url", url])
        assert bad.exit_code == 2
    finally:
        db.dispose()


def test_conversations_and_patient_chats_over_http(env: Env) -> None:
    """Ownership, the records scope on chat, and the OpenAI route answering alike (issue 15, 2-3)."""
    c = env.client
    started = c.post("/v1/chat", json={"message": "What is warfarin for?"}, headers=env.h(env.only_a))
    conv = started.json()["conversation_id"]
    # another key (even with every scope) cannot read, continue or attach a patient to it
    problem(c.get(f"/v1/conversations/{conv}", headers=env.h(env.admin)), 404)
    problem(c.post("/v1/chat", json={"conversation_id": conv, "message": "and b?", "patient_id": "b"},
                   headers=env.h(env.admin)), 404)
    body = {"model": "clinqa", "conversation_id": conv, "messages": [{"role": "user", "content": "dose?"}]}
    other = c.post("/v1/chat/completions", json=body, headers=env.h(env.admin))
    assert other.status_code == 404 and other.json()["error"]["code"] == "404"
    assert c.get(f"/v1/conversations/{conv}", headers=env.h(env.only_a)).json()["patient_id"] is None
    # a chat-only key may chat, but not about a patient: the same 404 as a patient that does not exist
    chat_only = env.h(KeyService(env.db).create("chat").key)
    assert c.post("/v1/chat", json={"message": "What is warfarin for?"}, headers=chat_only).status_code == 200
    denied = problem(c.post("/v1/chat", json={"message": "Can I take it?", "patient_id": "a"}, headers=chat_only), 404)
    missing = problem(c.post("/v1/chat", json={"message": "Can I take it?", "patient_id": "zz"}, headers=chat_only),
                      404)
    assert denied["detail"].replace("'a'", "X") == missing["detail"].replace("'zz'", "X")
