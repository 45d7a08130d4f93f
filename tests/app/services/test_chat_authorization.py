"""Who may read and continue a conversation, and whose records a chat may use (issue 15, findings 1-4),
through the chat service itself (no HTTP): ownership, the patient attached once under the caller's check,
the records:read scope, and the access log of every path that reveals record content."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, select

from app.enums import Scope
from app.errors import ConflictError, NotFoundError
from app.factory import Components, build_components
from app.models import RecordAccess
from app.records.model import Record
from app.records.schema import PatientIn
from app.records.synthea import read_export
from app.services.chat import Caller, ChatQuestion
from app.services.keys import Principal
from tests.app.records.conftest import ADA, BOB, SYNTHEA_MINI

ALL = frozenset(s.value for s in Scope)


def caller(key: str, patients: set[str] | None = None, scopes: frozenset[str] = ALL) -> Caller:
    return Caller(Principal(key, scopes, frozenset(patients) if patients is not None else None), f"req-{key}")


@pytest.fixture()
def components(settings_factory: Callable[..., Any], db_url: str) -> Iterator[Components]:
    """SQLite, and PostgreSQL where CLINQA_TEST_POSTGRES_URL names a server (.ci/run starts one): there the
    attach race is decided by the row lock of the conversation's update, not by SQLite's single writer."""
    c = build_components(settings_factory(database_url=db_url))
    c.db.migrate()
    c.indexes.start(build_if_missing=False)
    export = read_export(SYNTHEA_MINI)
    c.records.store.import_records(export.records, export.patients)
    yield c
    c.db.dispose()


def access_rows(c: Components) -> list[RecordAccess]:
    with c.db.session() as s:
        return list(s.scalars(select(RecordAccess).order_by(RecordAccess.id)).all())


def test_a_conversation_belongs_to_the_key_that_started_it(components: Components) -> None:
    chat = components.chat
    first = chat.chat(ChatQuestion("What is metformin for?"), caller("k1"))
    other = caller("k2")
    with pytest.raises(NotFoundError):
        chat.chat(ChatQuestion("And the dose?", first.conversation_id), other)
    with pytest.raises(NotFoundError):
        chat.chat(ChatQuestion("Can I take ibuprofen?", first.conversation_id, patient_id=BOB), other)
    with pytest.raises(NotFoundError):
        chat.conversation(first.conversation_id, other)
    # the creator keeps its conversation, still without a patient
    again = chat.chat(ChatQuestion("And the dose?", first.conversation_id), caller("k1"))
    assert again.answer.patient_id is None
    assert chat.conversation(first.conversation_id, caller("k1"))["patient_id"] is None


def test_chatting_about_a_patient_needs_the_records_scope(components: Components) -> None:
    chat = components.chat
    chat_only = caller("k1", scopes=frozenset({"chat"}))
    with pytest.raises(NotFoundError) as forbidden:
        chat.chat(ChatQuestion("Can I take ibuprofen?", patient_id=ADA), chat_only)
    with pytest.raises(NotFoundError) as unknown:
        chat.chat(ChatQuestion("Can I take ibuprofen?", patient_id="nobody"), caller("k1"))
    assert str(forbidden.value).replace(ADA, "X") == str(unknown.value).replace("nobody", "X")  # alike
    turn = chat.chat(ChatQuestion("Can I take ibuprofen?", patient_id=ADA), caller("k1", {ADA}))
    assert turn.answer.patient_id == ADA and turn.answer.records_read
    # a chat-only key cannot continue it either: the stored patient's records would be quoted
    with pytest.raises(NotFoundError):
        chat.chat(ChatQuestion("And aspirin?", turn.conversation_id), chat_only)
    assert [r.key_id for r in access_rows(components)] == ["k1"]


def test_the_patient_is_attached_once_under_the_callers_check(components: Components) -> None:
    """Two turns of one conversation race to attach different patients: the first transaction is held
    right after it attached its patient; the second must wait for it and then see that patient (a conflict),
    never answer from a mix, and only the first patient's records are read."""
    chat = components.chat
    both = caller("k1", {ADA, BOB})
    conv = chat.chat(ChatQuestion("Hello, I have a question about my medicines."), both).conversation_id
    at_check, go = threading.Event(), threading.Event()
    first_thread: list[int] = []

    def hold(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT CONVERSATIONS.PATIENT_ID") and \
                threading.get_ident() in first_thread and not at_check.is_set():
            at_check.set()
            assert go.wait(30)

    event.listen(components.db.engine, "before_cursor_execute", hold)
    results: dict[str, Any] = {}

    def turn(name: str, patient: str) -> None:
        if name == "ada":
            first_thread.append(threading.get_ident())
        try:
            results[name] = chat.chat(ChatQuestion("Can I take ibuprofen?", conv, patient_id=patient), both)
        except Exception as exc:
            results[name] = exc

    ada = threading.Thread(target=turn, args=("ada", ADA))
    ada.start()
    assert at_check.wait(30)
    bob = threading.Thread(target=turn, args=("bob", BOB))
    bob.start()
    bob.join(1.0)
    assert bob.is_alive()  # waits for the first transaction
    go.set()
    ada.join(60)
    bob.join(60)
    event.remove(components.db.engine, "before_cursor_execute", hold)
    assert results["ada"].answer.patient_id == ADA
    assert isinstance(results["bob"], ConflictError)
    assert {r.patient_id for r in access_rows(components)} == {ADA}


def test_a_key_limited_to_one_patient_never_reads_another(components: Components) -> None:
    chat = components.chat
    only_ada = caller("k1", {ADA})
    conv = chat.chat(ChatQuestion("Is metformin safe?"), only_ada).conversation_id
    with pytest.raises(NotFoundError):
        chat.chat(ChatQuestion("Can I take ibuprofen?", conv, patient_id=BOB), only_ada)
    assert chat.conversation(conv, only_ada)["patient_id"] is None  # nothing was attached
    assert access_rows(components) == []


def test_every_read_of_record_content_is_logged(components: Components) -> None:
    store = components.records.store
    store.create_patient(PatientIn(patient_id="cy"))
    store.add_records("cy", [Record("cy", "meds", "2024-01-01", "medication_list", "Current medications:\n- Warfarin"),
                             Record("cy", "pen", "2019-05-01", "allergy", "Allergy to penicillin")])
    chat = components.chat
    k = Caller(Principal("k1", ALL, None), "server-id-1", "client-chosen")
    turn = chat.chat(ChatQuestion("Can I take amoxicillin?", patient_id="cy"), k)
    # the alert comes from an allergy record that is not quoted: it was read all the same
    assert "Allergy alert" in (turn.answer.notice or "")
    assert "pen" not in {s.record_id for s in turn.answer.records_used}
    chat.conversation(turn.conversation_id, k)
    rows = access_rows(components)
    assert [r.action for r in rows] == ["chat", "conversation"]
    assert rows[0].request_id == "server-id-1" and rows[0].client_request_id == "client-chosen"
    assert {"meds", "pen"} <= set(rows[0].record_ids)
    assert rows[1].patient_id == "cy" and rows[1].record_ids  # what the stored answers quoted
