"""POST /v1/chat/completions and GET /v1/models with the official openai client (in-process app)."""

from __future__ import annotations

import openai
import pytest
from fastapi.testclient import TestClient

from tests.app.api.conftest import sse_events


@pytest.fixture()
def oai(client: TestClient) -> openai.OpenAI:
    return openai.OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=client, max_retries=0)


def test_models(oai: openai.OpenAI) -> None:
    assert [m.id for m in oai.models.list().data] == ["clinqa-drr", "clinqa-rtr"]
    assert oai.models.retrieve("clinqa-rtr").id == "clinqa-rtr"
    with pytest.raises(openai.NotFoundError):
        oai.models.retrieve("gpt-4o")


def test_completion_with_history_and_citations(oai: openai.OpenAI, client: TestClient) -> None:
    r = oai.chat.completions.create(
        model="clinqa-drr",
        messages=[
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": "My doctor put me on warfarin last week."},
            {"role": "assistant", "content": "Warfarin is a blood thinner."},
            {"role": "user", "content": "Can I take it with ibuprofen?"},
        ],
    )
    assert r.object == "chat.completion" and r.model == "clinqa-drr"
    msg = r.choices[0].message
    assert msg.role == "assistant" and r.choices[0].finish_reason == "stop"
    assert "ibuprofen" in (msg.content or "").lower()
    extra = r.model_extra or {}
    cites = extra["citations"]
    assert cites and cites == (msg.model_extra or {})["citations"]
    assert ("warfarin-sodium", "interactions") in {(c["medicine_id"], c["attribute"]) for c in cites}
    for c in cites:
        assert f"[{c['n']}]" in (msg.content or "") and c["quote"]
    assert {q["medicine"] for q in extra["clinqa"]["queries"]} == {"warfarin-sodium", "ibuprofen"}
    assert r.usage is not None and r.usage.total_tokens > 0
    # the client's history is stored with the new turn: a conversation that can be continued
    conv = client.get(f"/v1/conversations/{extra['conversation_id']}").json()
    assert [t["role"] for t in conv["turns"]] == ["user", "assistant", "user", "assistant"]
    again = oai.chat.completions.create(
        model="clinqa", messages=[{"role": "user", "content": "What about its dose for elderly patients?"}],
        extra_body={"conversation_id": extra["conversation_id"]},
    )
    # "its" resolves through the stored dialogue (the drug of the latest turn that named one)
    assert (again.model_extra or {})["clinqa"]["queries"][0]["medicine"] == "ibuprofen"
    assert len(client.get(f"/v1/conversations/{extra['conversation_id']}").json()["turns"]) == 6


def test_streaming_with_the_client(oai: openai.OpenAI) -> None:
    stream = oai.chat.completions.create(
        model="clinqa-drr", messages=[{"role": "user", "content": "What is metformin used for?"}], stream=True
    )
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    final = chunks[-1].model_extra or {}
    assert final["citations"] and all(f"[{c['n']}]" in text for c in final["citations"])
    assert "metformin" in text.lower() and len(chunks) > 5


def test_raw_stream_ends_with_done(client: TestClient) -> None:
    with client.stream("POST", "/v1/chat/completions", json={
        "model": "clinqa-rtr", "stream": True, "messages": [{"role": "user", "content": "amoxicillin side effects"}]
    }) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r.read().decode())
    assert events[-1] == ("message", "[DONE]")
    assert all(e[1]["object"] == "chat.completion.chunk" for e in events[:-1])


def test_openai_errors(oai: openai.OpenAI, client: TestClient) -> None:
    with pytest.raises(openai.NotFoundError) as unknown:
        oai.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "hi"}])
    assert unknown.value.body["code"] == "model_not_found"  # type: ignore[index]
    assert "clinqa-drr" in unknown.value.body["message"]  # type: ignore[index]
    with pytest.raises(openai.BadRequestError):
        oai.chat.completions.create(model="clinqa-drr", messages=[{"role": "assistant", "content": "hi"}])
    r = client.post("/v1/chat/completions", json={"model": "clinqa-drr", "messages": [
        {"role": "user", "content": "hi"}], "conversation_id": "nope"})
    assert r.status_code == 404 and r.json()["error"]["message"]
    r = client.post("/v1/chat/completions", json={"model": "clinqa-drr", "messages": [
        {"role": "user", "content": "  "}], "stream": True})
    assert r.status_code == 422 and r.json()["error"]["type"] == "invalid_request_error"
    assert client.post("/v1/chat/completions", json={"model": "clinqa-drr", "messages": []}).status_code == 422
