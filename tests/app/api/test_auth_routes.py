"""API keys on the routes added for OpenAI compatibility, streaming, metrics and the web page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services.keys import KeyService


@pytest.fixture()
def authed(settings_factory: Callable[..., Any]) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:
    with TestClient(create_app(settings_factory(auth={"enabled": True}))) as client:
        db = client.app.state.components.db  # type: ignore[attr-defined]
        admin = {"Authorization": f"Bearer {KeyService(db).create('chat,records:read,records:write,admin').key}"}
        only_a = {"Authorization": f"Bearer {KeyService(db).create(['chat', 'records:read'], ['a']).key}"}
        for pid in ("a", "b"):
            assert client.post("/v1/patients", json={"patient_id": pid}, headers=admin).status_code == 201
        yield client, admin, only_a


def test_new_routes_need_a_key(authed: tuple[TestClient, dict[str, str], dict[str, str]]) -> None:
    client, admin, only_a = authed
    chat = {"model": "clinqa-drr", "messages": [{"role": "user", "content": "metformin uses?"}]}
    for method, path, body in [("get", "/v1/models", None), ("get", "/v1/models/clinqa-drr", None),
                               ("post", "/v1/chat/completions", chat), ("get", "/v1/patients", None),
                               ("get", "/metrics", None),
                               ("post", "/v1/chat", {"message": "metformin uses?", "stream": True})]:
        r = client.request(method, path, json=body)
        assert r.status_code == 401, (path, r.text)
        assert client.request(method, path, json=body, headers=admin).status_code == 200, path
    assert client.get("/").status_code == 200  # the page itself is static; its API calls send the key
    assert client.get("/metrics", headers=only_a).status_code == 403  # admin scope


def test_patient_limited_key(authed: tuple[TestClient, dict[str, str], dict[str, str]]) -> None:
    client, admin, only_a = authed
    assert [p["patient_id"] for p in client.get("/v1/patients", headers=only_a).json()] == ["a"]
    assert [p["patient_id"] for p in client.get("/v1/patients", headers=admin).json()] == ["a", "b"]
    ask = {"model": "clinqa-drr", "messages": [{"role": "user", "content": "Can I take ibuprofen?"}]}
    r = client.post("/v1/chat/completions", json={**ask, "patient_id": "b"}, headers=only_a)
    assert r.status_code == 404 and "error" in r.json()
    assert client.post("/v1/chat/completions", json={**ask, "patient_id": "a"}, headers=only_a).status_code == 200
    theirs = client.post("/v1/chat", json={"message": "ibuprofen dose?", "patient_id": "b"}, headers=admin).json()
    conv_b = theirs["conversation_id"]
    r = client.post("/v1/chat", json={"message": "and aspirin?", "conversation_id": conv_b, "stream": True},
                    headers=only_a)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    r = client.post("/v1/chat/completions", json={**ask, "conversation_id": conv_b, "stream": True}, headers=only_a)
    assert r.status_code == 404
