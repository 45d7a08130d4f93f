"""Migration 0005: the OpenID Connect subject column on conversations and the record-access log, up and down."""

from __future__ import annotations

from sqlalchemy import inspect, text

from app.db import make_engine
from app.migrate import alembic_config, head_revision, schema_diff, upgrade


def _columns(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_0005_adds_subject_keeps_rows_and_downgrades(db_url: str) -> None:
    from alembic import command

    assert upgrade(db_url, "0004") == "0004"
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO conversations (id, created_at, updated_at, owner) "
                              "VALUES ('c1', '2026-12-01 08:00:00+00:00', '2026-12-01 08:00:00+00:00', 'k1')"))
            conn.execute(text("INSERT INTO record_access_log (at, key_id, action, patient_id, record_ids) "
                              "VALUES ('2026-12-01 08:00:00+00:00', 'k1', 'get', 'p1', '[\"r1\"]')"))
    finally:
        engine.dispose()
    assert "subject" not in _columns(db_url, "conversations")

    assert upgrade(db_url, "0005") == "0005"
    assert "subject" in _columns(db_url, "conversations")
    assert "subject" in _columns(db_url, "record_access_log")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            # rows from before the revision keep everything and have no subject
            assert conn.execute(text("SELECT owner, subject FROM conversations")).one() == ("k1", None)
            assert conn.execute(text("SELECT key_id, subject FROM record_access_log")).one() == ("k1", None)
            conn.execute(text("UPDATE record_access_log SET subject = 'alice'"))
    finally:
        engine.dispose()
    if head_revision() == "0005":
        assert schema_diff(db_url) == []

    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(db_url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0004")
    finally:
        engine.dispose()
    assert "subject" not in _columns(db_url, "conversations")
    assert "subject" not in _columns(db_url, "record_access_log")
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT patient_id, action FROM record_access_log")).one() == ("p1", "get")
    finally:
        engine.dispose()
    assert upgrade(db_url) == head_revision()
