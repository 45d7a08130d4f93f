"""openai_compat behind distill and read, end to end through /v1/chat against a real HTTP server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.factory import build_chat_model, build_distiller, build_reader
from app.main import create_app
from tests.fakes.openai_server import FakeOpenAIServer, error, reply, slow, tool_calls

SearchArgs = dict[str, str]


def _search(medicine: str, attribute: str, keywords: str) -> tuple[str, SearchArgs]:
    return ("search_medicine_database", {"medicine": medicine, "attribute": attribute, "keywords": keywords})


@pytest.fixture()
def make_client(
    settings_factory: Callable[..., Any], fake_openai: FakeOpenAIServer
) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(distill: str = "llm", read: str = "auto", **llm: Any) -> TestClient:
        llm_settings = {"backend": "openai_compat", "base_url": fake_openai.url, "model": "fake-qwen",
                        "max_retries": 0, "retry_backoff_s": 0.01, "timeout_s": 5.0, **llm}
        settings = settings_factory(llm=llm_settings, distill={"backend": distill}, read={"backend": read})
        client = TestClient(create_app(settings))
        clients.append(client.__enter__())
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


def test_distill_and_read_with_the_model(make_client: Callable[..., TestClient], fake_openai: FakeOpenAIServer) -> None:
    client = make_client()
    fake_openai.script(
        tool_calls(_search("warfarin", "indications", "warfarin uses")),
        reply("Warfarin is used to prevent and treat blood clots [1]. Ask your doctor about your own case."),
    )
    # (a bare "My doctor put me on warfarin last week." is answered "Noted ..." with no model reading:
    # app.pipeline.statement)
    first = client.post("/v1/chat", json={"message": "My doctor put me on warfarin last week. What is it for?"})
    assert first.status_code == 200, first.text
    conv = first.json()["conversation_id"]

    fake_openai.script(
        tool_calls(_search("Warfarin", "interactions", "warfarin ibuprofen bleeding"),
                   _search("ibuprofen", "side effects", "ibuprofen warfarin")),
        reply("NSAIDs such as ibuprofen increase the bleeding risk of warfarin [1]. Talk to your clinician [2]."),
    )
    second = client.post("/v1/chat", json={"conversation_id": conv, "message": "Can I take it with ibuprofen?"})
    assert second.status_code == 200, second.text
    body = second.json()
    assert [(q["medicine"], q["attribute"]) for q in body["queries"]] == [
        ("warfarin-sodium", "interactions"), ("ibuprofen", "adverse_reactions")]
    assert body["status"] == "answered" and body["answer"].startswith("NSAIDs such as ibuprofen")
    assert [c["n"] for c in body["citations"]] == [1, 2]
    assert body["citations"][0]["medicine_id"] == "warfarin-sodium"
    # [1] is the first of the numbered label sentences the model was given: a sentence of warfarin's label.
    assert body["citations"][0]["chunk_id"].startswith("warfarin-sodium:")
    distill = body["audit"]["distill"]
    assert distill["backend"] == "llm" and distill["queries_from"] == "model"
    assert distill["calls_total"] == 2 and distill["calls_well_formed"] == 1 and distill["well_formed"] is False
    assert body["audit"]["reader"] == "llm" and body["audit"]["read"]["flags"] == []

    # what the model was asked: 4 requests (distill, read) x 2 turns
    assert len(fake_openai.requests) == 4
    distill_req, read_req = fake_openai.requests[2], fake_openai.requests[3]
    assert distill_req["tools"][0]["function"]["name"] == "search_medicine_database"
    assert distill_req["tool_choice"] == "required" and distill_req["model"] == "fake-qwen"
    assert "My doctor put me on warfarin last week." in fake_openai.prompt(2)
    assert "Can I take it with ibuprofen?" in fake_openai.prompt(2)
    assert "tools" not in read_req
    read_prompt = fake_openai.prompt(3)
    assert "[1] Warfarin Sodium - " in read_prompt  # the ranked sentences, safety first (any section)
    assert "only from the numbered evidence" in read_prompt

    stored = client.get(f"/v1/conversations/{conv}").json()
    assert [t["status"] for t in stored["turns"]][1::2] == ["answered", "answered"]


def test_malformed_tool_call_falls_back_to_rules(
    make_client: Callable[..., TestClient], fake_openai: FakeOpenAIServer
) -> None:
    client = make_client(read="extractive")
    fake_openai.script(tool_calls(("search_medicine_database", '{"medicine": metformin, "attribute"')))
    body = client.post("/v1/chat", json={"message": "How much metformin can I take a day?"}).json()
    assert [(q["medicine"], q["attribute"]) for q in body["queries"]] == [("metformin", "dosage")]
    assert body["audit"]["distill"]["fallback"] == "rules" and body["audit"]["distill"]["well_formed"] is False
    assert body["audit"]["reader"] == "extractive" and body["status"] == "answered"
    assert len(fake_openai.requests) == 1  # distilled with the model, read without it


def test_unknown_drug_short_circuits_before_reading(
    make_client: Callable[..., TestClient], fake_openai: FakeOpenAIServer
) -> None:
    client = make_client()
    fake_openai.script(tool_calls(_search("rivaroxaban", "dosage", "rivaroxaban dose")))
    body = client.post("/v1/chat", json={"message": "What is the usual dose of rivaroxaban?"}).json()
    assert body["status"] == "unknown_drug" and body["citations"] == []
    assert "not in the medicine database" in body["answer"]
    # The rules found only a drug the database lacks: the model is asked neither to distil (it would search
    # on its own for another medicine) nor to read.
    assert len(fake_openai.requests) == 0


def test_rules_distill_with_model_reading(
    make_client: Callable[..., TestClient], fake_openai: FakeOpenAIServer
) -> None:
    client = make_client(distill="rules")
    fake_openai.script(reply("The evidence is insufficient to say."))
    body = client.post("/v1/chat", json={"message": "What is the dose of metformin?"}).json()
    # An answer citing none of the passages it was given is replaced by the extractive answer, with a notice.
    assert body["audit"]["distill"]["backend"] == "rules"
    assert body["audit"]["read"]["flags"] == ["no_citation", "extractive_fallback"]
    assert "cited none of the label passages" in body["notice"] and body["citations"]
    assert "insufficient" not in body["answer"]
    assert len(fake_openai.requests) == 1 and "tools" not in fake_openai.requests[0]


@pytest.mark.parametrize(
    ("scripted", "status", "title"),
    [
        (error(500, "CUDA out of memory"), 502, "Model error"),
        (error(503, "loading"), 503, "Model unavailable"),
        (slow(3.0), 504, "Model timed out"),
    ],
)
def test_model_failures_are_problems_and_keep_the_message(
    make_client: Callable[..., TestClient], fake_openai: FakeOpenAIServer, scripted: Any, status: int, title: str
) -> None:
    client = make_client(timeout_s=0.5)
    fake_openai.script(scripted)
    r = client.post("/v1/chat", json={"message": "What are the side effects of amoxicillin?"})
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["title"] == title and "message was saved" in problem["detail"]
    stored = client.get(f"/v1/conversations/{problem['conversation_id']}").json()
    assert stored["turns"][0]["content"] == "What are the side effects of amoxicillin?"
    assert stored["turns"][1]["status"] == "error"

    # the conversation goes on once the model is back
    fake_openai.script(tool_calls(_search("amoxicillin", "adverse_reactions", "amoxicillin side effects")),
                       reply("Diarrhea and rash are common [1]."))
    again = client.post("/v1/chat", json={"conversation_id": problem["conversation_id"],
                                          "message": "What are the side effects of amoxicillin?"})
    assert again.status_code == 200 and again.json()["citations"]
    # the saved message is part of the conversation the model sees next
    assert "Patient: What are the side effects of amoxicillin?" in fake_openai.prompt(-2)


def test_unreachable_model_is_503(settings_factory: Callable[..., Any]) -> None:
    settings = settings_factory(
        llm={"backend": "openai_compat", "base_url": "http://127.0.0.1:9/v1", "model": "m", "max_retries": 0},
        distill={"backend": "llm"},
    )
    with TestClient(create_app(settings)) as client:
        r = client.post("/v1/chat", json={"message": "What is ibuprofen for?"})
    assert r.status_code == 503 and "cannot reach the model server" in r.json()["detail"]


def test_stage_backends_follow_settings(settings_factory: Callable[..., Any]) -> None:
    plain = settings_factory()
    assert build_chat_model(plain) is None
    assert build_distiller(plain, None).to_dict()["backend"] == "rules"
    assert build_reader(plain, None).kind == "extractive"
    with pytest.raises(ValueError, match="CLINQA_DISTILL__BACKEND=llm needs a model"):
        build_distiller(settings_factory(distill={"backend": "llm"}), None)
    remote = settings_factory(llm={"backend": "openai_compat", "model": "m"}, read={"backend": "extractive"})
    model = build_chat_model(remote)
    assert model is not None and model.backend == "openai_compat"
    assert build_reader(remote, model).kind == "extractive"
    assert build_reader(settings_factory(llm={"backend": "openai_compat", "model": "m"}), model).kind == "llm"
    with pytest.raises(ValueError, match="CLINQA_LLM__MODEL"):
        build_chat_model(settings_factory(llm={"backend": "openai_compat"}))
