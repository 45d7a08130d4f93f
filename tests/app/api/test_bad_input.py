"""Bad input gets a clear 4xx, never a 500 (issue 15, findings 6-11).

The database-facing cases run on SQLite and on PostgreSQL (the `db_url` fixture; PostgreSQL when
CLINQA_TEST_POSTGRES_URL is set), since the two fail differently: PostgreSQL refuses NUL in text and
integers past bigint, SQLite stores NUL and overflows past INTEGER.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api.logging import JsonFormatter
from app.main import create_app
from bench.server import free_port

JSON = {"content-type": "application/json"}


@pytest.fixture()
def db_client(settings_factory: Callable[..., Any], db_url: str) -> Iterator[TestClient]:
    """A server on SQLite, and on PostgreSQL; a 500 comes back as a response, as a real server sends it."""
    settings = settings_factory(database_url=db_url, max_message_chars=500)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture()
def client(settings_factory: Callable[..., Any]) -> Iterator[TestClient]:
    """The same on SQLite only, for what does not depend on the database."""
    with TestClient(create_app(settings_factory(max_message_chars=500)), raise_server_exceptions=False) as c:
        yield c


def _post_raw(client: TestClient, path: str, raw: str) -> Any:
    """POST a JSON text as written (json.dumps cannot write a lone surrogate as an escape in a str body)."""
    return client.post(path, content=raw.encode(), headers=JSON)


def _assert_422(r: Any, field: str | None = None) -> dict[str, Any]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field], body
    return body


def _turns(client: TestClient, conversation_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/v1/conversations/{conversation_id}")
    assert r.status_code == 200, r.text
    turns: list[dict[str, Any]] = r.json()["turns"]
    return turns


def _deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


# -- finding 6: a lone surrogate in a chat message ------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_lone_surrogate_in_a_chat_message_is_422_and_nothing_is_stored(db_client: TestClient, stream: bool) -> None:
    first = db_client.post("/v1/chat", json={"message": "What is the dose of ibuprofen?"})
    assert first.status_code == 200, first.text
    conv = first.json()["conversation_id"]
    raw = json.dumps({"conversation_id": conv, "message": "and for kids @?", "stream": stream}).replace("@", "\\ud800")
    body = _assert_422(_post_raw(db_client, "/v1/chat", raw), "message")
    assert "lone surrogate" in body["detail"]
    assert "saved" not in body["detail"]  # the message was not stored, and the answer must not say it was
    assert len(_turns(db_client, conv)) == 2


@pytest.mark.parametrize(
    "message",
    ['{"role": "user", "content": "dose of ibuprofen \\udfff?"}',
     '{"role": "user", "content": [{"type": "text", "text": "dose of ibuprofen \\ud800"}]}'],
    ids=["text", "content-part"],
)
@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_lone_surrogate_in_a_completions_message_is_422(client: TestClient, message: str, stream: bool) -> None:
    raw = f'{{"model": "clinqa", "stream": {json.dumps(stream)}, "messages": [{message}]}}'
    r = _post_raw(client, "/v1/chat/completions", raw)
    body = _assert_422(r)
    assert body["errors"][0]["field"].startswith("messages.0.content")
    assert "text/event-stream" not in r.headers["content-type"]


def test_a_surrogate_pair_is_a_character_not_an_error(client: TestClient) -> None:
    """JSON writes astral characters as two escapes; only an unpaired one is refused."""
    r = _post_raw(client, "/v1/chat", '{"message": "What is the dose of ibuprofen? \\ud83d\\udc8a"}')
    assert r.status_code == 200, r.text
    assert _turns(client, r.json()["conversation_id"])[0]["content"].endswith("\U0001f48a")


# -- finding 7: integer parameters past what a database holds -------------------------------------------------


@pytest.mark.parametrize("offset", [2**63, 2**31, -1])
@pytest.mark.parametrize("path", ["/v1/patients", "/v1/patients/p1/records"])
def test_offset_out_of_bounds_is_422(db_client: TestClient, path: str, offset: int) -> None:
    assert db_client.post("/v1/patients", json={"patient_id": "p1"}).status_code == 201
    _assert_422(db_client.get(path, params={"offset": offset}), "query.offset")


@pytest.mark.parametrize("path", ["/v1/patients", "/v1/patients/p1/records"])
def test_largest_offset_allowed_is_answered(db_client: TestClient, path: str) -> None:
    """The bound itself is within what both databases take."""
    assert db_client.post("/v1/patients", json={"patient_id": "p1"}).status_code == 201
    r = db_client.get(path, params={"offset": 2**31 - 1})
    assert r.status_code == 200, r.text
    assert r.json() == []


@pytest.mark.parametrize(("name", "value"), [("limit", 2**63), ("limit", 0), ("k", 2**63), ("k", 0)])
def test_other_integer_parameters_are_bounded(client: TestClient, name: str, value: int) -> None:
    assert client.post("/v1/patients", json={"patient_id": "p1"}).status_code == 201
    path = "/v1/patients/p1/records/search" if name == "k" else "/v1/patients/p1/records"
    _assert_422(client.get(path, params={name: value, "q": "warfarin"}), f"query.{name}")


# -- finding 8: free-form JSON nested deep ---------------------------------------------------------------------


@pytest.mark.parametrize("levels", [900, 20, 9], ids=["900-deep", "20-deep", "9-deep"])
def test_deeply_nested_demographics_are_422_and_no_patient_is_created(db_client: TestClient, levels: int) -> None:
    r = db_client.post("/v1/patients", json={"patient_id": "deep", "demographics": _deep(levels)})
    body = _assert_422(r)
    assert body["errors"][0]["field"].startswith("demographics"), body
    assert "deeper than" in body["detail"]
    assert db_client.get("/v1/patients/deep").status_code == 404
    assert db_client.get("/v1/patients").json() == []


def test_oversized_demographics_are_422(client: TestClient) -> None:
    r = client.post("/v1/patients", json={"patient_id": "big", "demographics": {"notes": "x" * 70_000}})
    body = _assert_422(r, "demographics")
    assert "bytes of JSON" in body["detail"]
    assert client.get("/v1/patients/big").status_code == 404


def test_demographics_within_the_limits_round_trip(db_client: TestClient) -> None:
    demographics = {"address": {"city": "Boston", "geo": {"lat": 42.36, "lon": -71.06}}, "race": "white"}
    r = db_client.post("/v1/patients", json={"patient_id": "ok", "demographics": {**demographics, "x": _deep(5)}})
    assert r.status_code == 201, r.text
    got = db_client.get("/v1/patients/ok")
    assert got.status_code == 200, got.text
    assert got.json()["demographics"]["address"] == demographics["address"]


def test_a_body_nested_past_the_limit_is_422_on_every_route(client: TestClient) -> None:
    """The OpenAI route accepts free-form extras; they are bounded too."""
    body = {"model": "clinqa", "messages": [{"role": "user", "content": "dose of ibuprofen?"}],
            "metadata": _deep(100)}
    r = client.post("/v1/chat/completions", json=body)
    assert "deeper than" in _assert_422(r)["detail"]
    raw = '{"message": "dose of ibuprofen?", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    _assert_422(_post_raw(client, "/v1/chat", raw))


# -- finding 9: NUL in text and ids (PostgreSQL cannot store it) -----------------------------------------------

NUL_BODIES = [
    ("/v1/chat", {"message": "dose of ibu\x00profen?"}, "message"),
    ("/v1/chat", {"message": "dose of ibuprofen?", "conversation_id": "c\x00"}, "conversation_id"),
    ("/v1/chat", {"message": "dose of ibuprofen?", "patient_id": "p1\x00"}, "patient_id"),
    ("/v1/chat/completions", {"model": "clinqa", "messages": [{"role": "user", "content": "ibu\x00profen"}]},
     "messages.0.content"),
    ("/v1/chat/completions", {"model": "clinqa", "patient_id": "p\x00",
                              "messages": [{"role": "user", "content": "dose of ibuprofen?"}]}, "patient_id"),
    ("/v1/patients", {"patient_id": "p\x002"}, "patient_id"),
    ("/v1/patients", {"patient_id": "p2", "name": "Ada\x00"}, "name"),
    ("/v1/patients", {"patient_id": "p2", "demographics": {"city": "Bos\x00ton"}}, "demographics.city"),
    ("/v1/patients", {"patient_id": "p2", "demographics": {"ci\x00ty": "Boston"}}, "demographics"),
    ("/v1/patients/p1/records", {"date": "2020-01-01", "kind": "visit_note", "text": "on warfarin\x00"}, "text"),
    ("/v1/patients/p1/records", {"date": "2020-01-01", "kind": "visit_note", "text": "ok",
                                 "regions": {"left lung": "clear\x00"}}, "regions.left lung"),
    ("/v1/patients/p1/records", {"date": "2020-01-01", "kind": "visit_note", "text": "ok",
                                 "record_id": "r\x00"}, "record_id"),
]


@pytest.mark.parametrize(("path", "body", "field"), NUL_BODIES, ids=[f"{p}:{f}" for p, _, f in NUL_BODIES])
def test_nul_in_a_body_field_is_422_and_nothing_is_stored(
    db_client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    assert db_client.post("/v1/patients", json={"patient_id": "p1"}).status_code == 201
    body = _assert_422(db_client.post(path, json=body), field)
    assert "NUL" in body["detail"]
    assert [p["patient_id"] for p in db_client.get("/v1/patients").json()] == ["p1"]
    assert db_client.get("/v1/patients/p1").json()["n_records"] == 0


NUL_URLS = [
    "/v1/patients/p1%00",
    "/v1/patients/p1/records/r%00",
    "/v1/conversations/c%00",
    "/v1/admin/index/rebuild/j%00",
    "/v1/models/clinqa%00",
    "/v1/patients/p1/records/search?q=warfarin%00",
    "/v1/patients/p1/records?kind=visit%00note",
    "/v1/patients?x%00=1",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_nul_in_a_path_or_query_is_422(db_client: TestClient, url: str) -> None:
    assert db_client.post("/v1/patients", json={"patient_id": "p1"}).status_code == 201
    body = _assert_422(db_client.get(url))
    assert body["errors"][0]["field"].split(".")[0] in ("path", "query")
    assert "\x00" not in body.get("instance", "")


def test_nul_in_a_path_id_of_a_write_is_422(db_client: TestClient) -> None:
    r = db_client.post("/v1/patients/p%00/records", json={"date": "2020-01-01", "kind": "visit_note", "text": "ok"})
    _assert_422(r, "path")
    assert db_client.delete("/v1/patients/p1/records/r%00").status_code == 422


# -- finding 10: status codes and headers the docs promise; 500s ----------------------------------------------


@pytest.mark.parametrize("path", ["/v1/chat", "/v1/patients", "/v1/chat/completions"])
def test_invalid_utf8_body_is_422(client: TestClient, path: str) -> None:
    r = client.post(path, content=b'{"message": "dose of \xff\xfe ibuprofen"}', headers=JSON)
    body = _assert_422(r, "body")
    assert "UTF-8" in body["detail"]


def test_invalid_json_is_still_422(client: TestClient) -> None:
    r = client.post("/v1/chat", content=b'{"message": ', headers=JSON)
    assert r.status_code == 422
    assert r.json()["detail"] == "The request body is not valid JSON at character 13: Expecting value."


def test_the_json_error_says_where_and_why(client: TestClient) -> None:
    r = client.post("/v1/chat", content=b'{"message": "hi",}', headers=JSON)
    body = r.json()
    assert r.status_code == 422 and body["errors"][0]["field"] == "body"  # not the character offset ("17")
    assert body["detail"] == ("The request body is not valid JSON at character 18: "
                              "Expecting property name enclosed in double quotes.")


def test_a_body_that_is_no_json_object_says_what_to_send(client: TestClient) -> None:
    r = client.post("/v1/chat", content=b"what is the dose of ibuprofen", headers={"content-type": "text/plain"})
    assert r.status_code == 422
    assert r.json()["detail"] == "body: must be a JSON object, sent with Content-Type: application/json"


def test_a_validators_message_has_no_library_prefix(client: TestClient) -> None:
    r = client.post("/v1/chat", json={"message": "   "})
    assert r.status_code == 422
    assert "Value error" not in r.json()["detail"] and "message" in r.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [("DELETE", "/v1/chat", "POST"), ("DELETE", "/v1/patients", "GET, POST"),
     ("PUT", "/v1/patients/p1/records", "GET, POST"), ("POST", "/v1/patients/p1/records/r1", "DELETE, GET"),
     ("POST", "/healthz", "GET")],
)
def test_405_names_the_allowed_methods(client: TestClient, method: str, path: str, allow: str) -> None:
    r = client.request(method, path)
    assert r.status_code == 405
    assert r.headers["allow"] == allow
    assert r.headers["content-type"].startswith("application/problem+json")


def _boom_app(settings_factory: Callable[..., Any]) -> FastAPI:
    app = create_app(settings_factory())

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    return app


def test_500_is_logged_with_the_request_id(settings_factory: Callable[..., Any],
                                           caplog: pytest.LogCaptureFixture) -> None:
    with TestClient(_boom_app(settings_factory), raise_server_exceptions=False) as c:
        caplog.set_level(logging.ERROR)
        r = c.get("/boom")
    assert r.status_code == 500
    assert r.json()["title"] == "Internal error"
    rid = r.headers["x-request-id"]
    errors = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert len(errors) == 1
    logged = json.loads(JsonFormatter().format(errors[0]))
    assert logged["request_id"] == rid
    assert "RuntimeError: a bug" in logged["exc"]


@pytest.fixture()
def live_server(settings_factory: Callable[..., Any]) -> Iterator[int]:
    """The app with a failing route, served by uvicorn in a thread (keep-alive is the server's business)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(_boom_app(settings_factory), host="127.0.0.1", port=port,
                                           log_level="critical", timeout_keep_alive=30))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_a_500_keeps_the_keep_alive_connection(live_server: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", live_server, timeout=30)
    try:
        conn.request("GET", "/boom")
        r = conn.getresponse()
        body = json.loads(r.read())
        sock = conn.sock
        assert sock is not None
        local = sock.getsockname()
        conn.request("GET", "/healthz")  # the same connection: reset before the fix
        r2 = conn.getresponse()
        assert r2.status == 200, r2.read()
        r2.read()
        assert conn.sock is sock and sock.getsockname() == local
    finally:
        conn.close()
    assert r.status == 500 and body["title"] == "Internal error"
    assert r.getheader("x-request-id")


# -- finding 11: zero-width characters inside a drug name ------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    ["What is the dose of ibu\u200bprofen?", "What is the dose of ibu\u200dprofen?",
     "What is the dose of \u202eibuprofen\u202c?", "What is the dose of \ufeffｉｂｕｐｒｏｆｅｎ?"],
    ids=["zwsp", "zwj", "bidi", "bom-fullwidth"],
)
def test_invisible_characters_do_not_change_the_medicine(client: TestClient, message: str) -> None:
    r = client.post("/v1/chat", json={"message": message})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert [q["medicine"] for q in answer["queries"]] == ["ibuprofen"]
    assert {c["medicine_id"] for c in answer["citations"]} == {"ibuprofen"}
    assert _turns(client, answer["conversation_id"])[0]["content"] == message  # stored as the user wrote it


def test_zero_width_joiner_keeps_warfarin_in_an_interaction_query(client: TestClient) -> None:
    r = client.post("/v1/chat", json={"message": "Can I take clopidogrel with war\u200dfarin?"})
    assert r.status_code == 200, r.text
    queries = r.json()["queries"]
    assert {q["medicine"] for q in queries} == {"clopidogrel-bisulfate", "warfarin-sodium"}
    assert all(q["attribute"] == "interactions" for q in queries)
