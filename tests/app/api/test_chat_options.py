"""POST /v1/chat: a question back (status clarify) carries its choices as `options`, in the JSON answer and the
SSE `done` event; sending one as the next message answers the question asked before."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.app.api.conftest import sse_events


def _turn(client: TestClient, message: str, conversation: str | None = None) -> dict[str, Any]:
    r = client.post("/v1/chat", json={"message": message, "conversation_id": conversation})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_two_medicines_asked_back_come_with_their_options(client: TestClient) -> None:
    first = _turn(client, "They added lisinopril.")
    conversation = first["conversation_id"]
    assert first["options"] == []
    _turn(client, "They added metformin too.", conversation)
    back = _turn(client, "Side effects of the new one?", conversation)
    assert back["status"] == "clarify" and back["options"] == ["Lisinopril", "Metformin"], back
    picked = _turn(client, back["options"][1], conversation)
    assert picked["status"] == "answered" and picked["options"] == []
    assert {(q["medicine"], q["attribute"]) for q in picked["queries"]} == {("metformin", "adverse_reactions")}


def test_the_stream_done_event_carries_the_options(client: TestClient) -> None:
    conversation = _turn(client, "I was started on warfarin.")["conversation_id"]
    _turn(client, "And on sertraline last week.", conversation)
    r = client.post("/v1/chat", json={"message": "what are the side effects of the new one?", "stream": True,
                                      "conversation_id": conversation})
    assert r.status_code == 200
    done = next(data for name, data in sse_events(r.text) if name == "done")
    assert done["status"] == "clarify" and done["options"] == ["Warfarin Sodium", "Sertraline Hydrochloride"], done
    assert all(option in done["answer"] for option in done["options"])
