"""The REST API in-process (real app, real index, real SQLite file)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app


@pytest.fixture()
def client(settings_factory: Callable[..., Any]) -> Iterator[TestClient]:
    app = create_app(settings_factory(max_message_chars=500))
    with TestClient(app) as c:
        yield c


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["ready"] is True
    assert body["database"] == "ok"
    assert body["index"]["retrieval"] == "hybrid"


def test_two_turn_interaction_question(client: TestClient) -> None:
    first = client.post("/v1/chat", json={"message": "My doctor put me on warfarin last week."})
    assert first.status_code == 200, first.text
    conv = first.json()["conversation_id"]
    second = client.post("/v1/chat", json={"conversation_id": conv, "message": "Can I take it with ibuprofen?"})
    assert second.status_code == 200, second.text
    body = second.json()
    assert {q["medicine"] for q in body["queries"]} == {"warfarin-sodium", "ibuprofen"}
    assert all(q["attribute"] == "interactions" for q in body["queries"])
    assert body["k"] >= 1 and body["mode"] == "drr" and body["status"] == "answered"
    cited = {(c["medicine_id"], c["attribute"]) for c in body["citations"]}
    assert ("warfarin-sodium", "interactions") in cited
    for c in body["citations"]:
        assert c["quote"] and c["chunk_id"].startswith(c["medicine_id"] + ":")
        assert f"[{c['n']}]" in body["answer"]
    assert "ibuprofen" in body["answer"].lower()

    stored = client.get(f"/v1/conversations/{conv}").json()
    assert [t["role"] for t in stored["turns"]] == ["user", "assistant", "user", "assistant"]
    assert stored["turns"][3]["evidence"] and stored["turns"][3]["citations"]


def test_rtr_mode_uses_the_raw_turn(client: TestClient) -> None:
    r = client.post("/v1/chat", json={"message": "What are the side effects of amoxicillin?", "mode": "rtr"})
    body = r.json()
    assert body["mode"] == "rtr"
    assert body["queries"] == [
        {"medicine": None, "attribute": None, "keywords": "What are the side effects of amoxicillin?"}
    ]


def test_unknown_drug_gets_no_citations(client: TestClient) -> None:
    body = client.post("/v1/chat", json={"message": "What is the usual dose of rivaroxaban?"}).json()
    assert body["status"] == "unknown_drug"
    assert body["citations"] == []
    assert "not in the medicine database" in body["answer"]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"message": ""}, 422),
        ({"message": "   "}, 422),
        ({"message": "x" * 501}, 422),
        ({"message": "hello", "mode": "fast"}, 422),
        ({"message": "hello", "unexpected": 1}, 422),
        ({}, 422),
        ({"message": 12}, 422),
        ({"message": "hi", "conversation_id": "does-not-exist"}, 404),
    ],
)
def test_bad_requests_are_problems_not_500s(client: TestClient, payload: dict[str, Any], status: int) -> None:
    r = client.post("/v1/chat", json=payload)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["title"] and body["detail"]


def test_malformed_json(client: TestClient) -> None:
    r = client.post("/v1/chat", content=b'{"message": "unterminated', headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert "not valid JSON" in r.json()["detail"]


def test_unknown_conversation_404(client: TestClient) -> None:
    r = client.get("/v1/conversations/nope")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_user_message_survives_a_pipeline_failure(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = client.post("/v1/chat", json={"message": "What is metformin used for?"}).json()
    conv = first["conversation_id"]
    orchestrator = client.app.state.components.orchestrator  # type: ignore[attr-defined]

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("model server exploded")

    monkeypatch.setattr(orchestrator, "answer", broken)
    r = client.post("/v1/chat", json={"conversation_id": conv, "message": "And the dose?"})
    assert r.status_code == 500
    assert r.json()["conversation_id"] == conv
    monkeypatch.undo()
    turns = client.get(f"/v1/conversations/{conv}").json()["turns"]
    assert turns[2]["role"] == "user" and turns[2]["content"] == "And the dose?"
    assert turns[3]["status"] == "error"
    # The conversation goes on, and the failed turn does not confuse the next answer.
    again = client.post("/v1/chat", json={"conversation_id": conv, "message": "And the dose?"})
    assert again.status_code == 200
    assert again.json()["queries"][0]["medicine"] == "metformin"
