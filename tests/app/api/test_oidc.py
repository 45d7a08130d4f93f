"""OpenID Connect bearer tokens over the real app: beside API keys, rejected with a reason, the SMART patient
claim enforced on every route that reads a patient's data, the end user's subject on the conversation, in
the access log and in the audit export. The issuer is a real HTTP server on 127.0.0.1 (tests/fakes)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient
from fhir.resources.R4B.auditevent import AuditEvent
from sqlalchemy import select

from app.config import Settings
from app.main import create_app
from app.models import Conversation, RecordAccess
from app.records.synthea import read_export
from app.services.access_log import SUBJECT_SYSTEM
from app.services.keys import KeyService
from tests.app.records.conftest import ADA, BOB, SYNTHEA_MINI
from tests.conftest import MINI_CORPUS
from tests.fakes.oidc_issuer import FakeIssuer, new_rsa

Headers = dict[str, str]
ASK = "Can I take ibuprofen?"


@dataclass
class Server:
    client: TestClient
    idp: FakeIssuer
    admin_key: Headers
    records: dict[str, list[str]]  # patient -> record ids

    def bearer(self, **claims: object) -> Headers:
        return {"Authorization": f"Bearer {self.idp.token(**claims)}"}  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, mini_index_dir: Path) -> Iterator[Server]:
    with FakeIssuer() as idp:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path_factory.mktemp('oidc') / 'clinqa.db'}", index_dir=mini_index_dir,
            corpus=MINI_CORPUS, vector_caches=[], vector_cache_out=None, auth={"enabled": True},  # type: ignore[arg-type]
            oidc=idp.settings(role_map={"clinqa-admin": ["admin"]}),  # type: ignore[arg-type]
        )
        with TestClient(create_app(settings)) as client:
            c = client.app.state.components  # type: ignore[attr-defined]
            export = read_export(SYNTHEA_MINI)
            c.records.store.import_records(export.records, export.patients)
            admin = {"Authorization": f"Bearer {KeyService(c.db).create('chat,records:read,admin').key}"}
            records = {pid: [r["record_id"] for r in client.get(f"/v1/patients/{pid}/records", headers=admin).json()]
                       for pid in (ADA, BOB)}
            assert records[ADA] and records[BOB]
            yield Server(client, idp, admin, records)


def rows(server: Server, model: type[Conversation] | type[RecordAccess]) -> list[object]:
    db = server.client.app.state.components.db  # type: ignore[attr-defined]
    with db.session() as s:
        return list(s.scalars(select(model)).all())


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_tokens_work_beside_api_keys_and_the_jwks_is_fetched_once(server: Server) -> None:
    client, alice = server.client, server.bearer(sub="alice", scope="openid user/*.read")
    assert [p["patient_id"] for p in client.get("/v1/patients", headers=alice).json()] == sorted([ADA, BOB])
    fetched = server.idp.jwks_requests
    for i in range(5):
        assert client.get("/v1/patients", headers=server.bearer(sub=f"user-{i}")).status_code == 200
        assert client.get("/v1/patients", headers=server.admin_key).status_code == 200
    assert server.idp.jwks_requests == fetched <= 1
    r = client.get("/v1/patients", headers=server.bearer(sub="alice", scope="openid profile"))
    assert r.status_code == 403 and "token lacks the 'records:read' scope" in r.json()["detail"]


def test_rejected_tokens_are_401_with_a_reason(server: Server) -> None:
    idp = server.idp
    public = idp.keys["rsa-1"].public_key().public_bytes(serialization.Encoding.PEM,
                                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    head = f"{b64(json.dumps({'alg': 'HS256', 'kid': 'rsa-1'}).encode())}.{b64(json.dumps(idp.claims()).encode())}"
    confused = f"{head}.{b64(hmac.new(public, head.encode(), hashlib.sha256).digest())}"
    unsigned = f"{b64(json.dumps({'alg': 'none'}).encode())}.{b64(json.dumps(idp.claims()).encode())}."
    cases = {
        "expired": idp.token(exp_in=-3600),
        "audience": idp.token(aud="some-other-api"),
        "issuer": idp.token(iss="https://elsewhere.example.org"),
        "signature": idp.sign(idp.claims(), kid="rsa-1", key=new_rsa()),
        "unknown_key": idp.sign(idp.claims(), kid="rsa-99", key=new_rsa()),
        "algorithm": unsigned,
        "missing_claim": idp.token(sub=None),
    }
    for reason, token in {**cases, "algorithm (HS256 with the public key)": confused}.items():
        r = server.client.post("/v1/chat", json={"message": ASK}, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401, (reason, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["reason"] == reason.split(" ")[0], r.json()
        challenge = r.headers["www-authenticate"]
        assert challenge.startswith('Bearer realm="clinqa", error="invalid_token", error_description="the token')
    r = server.client.post("/v1/chat", json={"message": ASK})
    assert r.status_code == 401 and r.headers["www-authenticate"] == 'Bearer realm="clinqa"'
    assert "OpenID Connect access token" in r.json()["detail"]


def test_the_patient_claim_is_enforced_on_every_patient_route(server: Server) -> None:
    client = server.client
    ada_only = server.bearer(sub="ada-portal", scope="launch/patient patient/*.read", patient=ADA)
    assert [p["patient_id"] for p in client.get("/v1/patients", headers=ada_only).json()] == [ADA]
    paths = ["/v1/patients/{p}", "/v1/patients/{p}/records", "/v1/patients/{p}/records/search?q=warfarin",
             "/v1/patients/{p}/records/{r}"]
    for path in paths:
        theirs = path.format(p=BOB, r=server.records[BOB][0])
        r = client.get(theirs, headers=ada_only)
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json"), theirs
        assert client.get(path.format(p=ADA, r=server.records[ADA][0]), headers=ada_only).status_code == 200, path
        assert client.get(theirs, headers=server.admin_key).status_code == 200  # the route does serve Bob
    for body in ({"message": ASK, "patient_id": BOB}, {"message": ASK, "patient_id": BOB, "stream": True}):
        assert client.post("/v1/chat", json=body, headers=ada_only).status_code == 404
    completion = {"model": "clinqa-drr", "messages": [{"role": "user", "content": ASK}]}
    r = client.post("/v1/chat/completions", json={**completion, "patient_id": BOB}, headers=ada_only)
    assert r.status_code == 404 and "error" in r.json()
    r = client.post("/v1/chat", json={"message": ASK, "patient_id": ADA}, headers=ada_only)
    assert r.status_code == 200, r.text
    assert r.json()["record_citations"] or r.json()["notices"]  # Ada's records were read

    # The same end user with a wider token started a conversation about Bob: the patient-limited token of
    # that user may neither read nor continue it.
    wide = server.bearer(sub="ada-portal", scope="user/*.read")
    conv_bob = client.post("/v1/chat", json={"message": ASK, "patient_id": BOB}, headers=wide).json()["conversation_id"]
    assert client.get(f"/v1/conversations/{conv_bob}", headers=wide).status_code == 200
    assert client.get(f"/v1/conversations/{conv_bob}", headers=ada_only).status_code == 404
    r = client.post("/v1/chat", json={"message": "and aspirin?", "conversation_id": conv_bob}, headers=ada_only)
    assert r.status_code == 404

    # The audit log names every patient: a patient-limited token may not read it, even with the admin role.
    limited_admin = server.bearer(sub="ada-portal", scope="patient/*.read", patient=ADA, roles=["clinqa-admin"])
    r = client.get("/v1/admin/audit", headers=limited_admin)
    assert r.status_code == 403 and "limited to some patients" in r.json()["detail"]
    assert client.get("/v1/admin/audit", headers=server.bearer(sub="ops", roles=["clinqa-admin"])).status_code == 200

    # Bob's records were read by this user only through the wide token; the refused requests logged nothing.
    bob_reads = [(a.patient_id, a.action) for a in rows(server, RecordAccess)  # type: ignore[attr-defined]
                 if a.subject == "ada-portal" and a.patient_id == BOB]  # type: ignore[attr-defined]
    assert bob_reads == [(BOB, "chat"), (BOB, "conversation")]


def test_every_route_that_names_a_patient_is_covered(server: Server) -> None:
    """A new route that takes a patient (in its path or its body) must be added to the test above."""
    spec = server.client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    in_path, in_body = set(), set()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if "{patient_id}" in path:
                in_path.add(f"{method.upper()} {path}")
            ref = (op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
                   .get("$ref", ""))
            if "patient_id" in schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}):
                in_body.add(f"{method.upper()} {path}")
    assert in_path == {"GET /v1/patients/{patient_id}", "GET /v1/patients/{patient_id}/records",
                       "GET /v1/patients/{patient_id}/records/search",
                       "GET /v1/patients/{patient_id}/records/{record_id}",
                       # writes: records:write, which no default token scope grants; check_patient guards them
                       "POST /v1/patients/{patient_id}/records", "DELETE /v1/patients/{patient_id}/records/{record_id}"}
    assert in_body == {"POST /v1/chat", "POST /v1/chat/completions", "POST /v1/patients"}


def test_the_subject_is_recorded_and_owns_the_conversation(server: Server) -> None:
    client = server.client
    alice = server.bearer(sub="alice@hospital", scope="user/*.read")
    r = client.post("/v1/chat", json={"message": ASK, "patient_id": ADA}, headers=alice)
    assert r.status_code == 200, r.text
    conv_id = r.json()["conversation_id"]
    conv = next(c for c in rows(server, Conversation) if c.id == conv_id)  # type: ignore[attr-defined]
    assert conv.subject == "alice@hospital" and conv.owner.startswith("oidc:")  # type: ignore[attr-defined]

    assert client.get(f"/v1/conversations/{conv_id}", headers=alice).status_code == 200
    for other in (server.bearer(sub="bob@hospital", scope="user/*.read"), server.admin_key):
        assert client.get(f"/v1/conversations/{conv_id}", headers=other).status_code == 404
    r = client.post("/v1/chat", json={"message": "and aspirin?", "conversation_id": conv_id}, headers=alice)
    assert r.status_code == 200 and r.json()["conversation_id"] == conv_id

    access = [a for a in rows(server, RecordAccess) if a.subject == "alice@hospital"]  # type: ignore[attr-defined]
    assert [(a.action, a.patient_id, a.key_id) for a in access] == [  # type: ignore[attr-defined]
        ("chat", ADA, None), ("conversation", ADA, None), ("chat", ADA, None)]

    r = client.get("/v1/admin/audit", params={"subject": "alice@hospital"}, headers=server.admin_key)
    assert r.status_code == 200, r.text
    entries = r.json()["entries"]
    assert r.json()["total"] == 3 and {(e["subject"], e["key_id"]) for e in entries} == {("alice@hospital", None)}
    everyone = client.get("/v1/admin/audit", params={"limit": 1000}, headers=server.admin_key).json()
    assert everyone["total"] > 3 and any(e["subject"] is None for e in everyone["entries"])  # API-key reads too

    fhir = client.get("/v1/admin/audit", params={"subject": "alice@hospital", "format": "fhir"},
                      headers=server.admin_key).json()
    for entry in fhir["entry"]:
        event = AuditEvent.model_validate(entry["resource"])
        users = [(a.who.identifier.value, a.requestor) for a in event.agent
                 if a.who and a.who.identifier and a.who.identifier.system == SUBJECT_SYSTEM]
        assert users == [("alice@hospital", True)]
        assert [a.requestor for a in event.agent].count(True) == 1


def test_a_jwt_sent_to_a_server_without_oidc_is_told_so() -> None:
    from types import SimpleNamespace

    from starlette.requests import Request

    from app.api.auth import authenticate
    from app.api.errors import ProblemError

    c = SimpleNamespace(settings=Settings(auth={"enabled": True}), identity=None, keys=None)  # type: ignore[arg-type]
    request = Request({"type": "http", "headers": [(b"authorization", b"Bearer eyJ.eyJ.sig")]})
    with pytest.raises(ProblemError) as caught:
        authenticate(request, c)  # type: ignore[arg-type]
    assert caught.value.status == 401 and caught.value.extra["reason"] == "not_configured"
    assert "OpenID Connect is not configured" in caught.value.detail
