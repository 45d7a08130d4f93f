"""KeyService.verify: `last_used_at` is written sparingly and never fails a request (issue 15, finding 12)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, update

from app.db import Database
from app.models import ApiKey, utcnow
from app.services.keys import KeyService


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'keys.db'}")
    database.migrate()
    yield database
    database.dispose()


def count_key_updates(db: Database) -> list[str]:
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE API_KEYS"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    return seen


def last_used(db: Database, key_id: str) -> Any:
    with db.session() as s:
        return s.scalar(select(ApiKey.last_used_at).where(ApiKey.id == key_id))


def test_last_used_at_is_written_once_a_minute_per_key(db: Database) -> None:
    keys = KeyService(db)
    first, second = keys.create("chat"), keys.create("chat")
    updates = count_key_updates(db)
    for _ in range(5):
        assert keys.verify(first.key) is not None
    assert len(updates) == 1
    assert last_used(db, first.id) is not None
    assert keys.verify(second.key) is not None  # another key is its own minute
    assert len(updates) == 2


def test_a_recent_stored_time_is_not_rewritten(db: Database) -> None:
    """Another worker (or this one before a restart) wrote it seconds ago: a fresh service skips it too."""
    created = KeyService(db).create("chat")
    with db.transaction() as conn:
        conn.execute(update(ApiKey).where(ApiKey.id == created.id).values(last_used_at=utcnow()))
    updates = count_key_updates(db)
    assert KeyService(db).verify(created.key) is not None
    assert updates == []
    with db.transaction() as conn:  # an hour ago: due
        conn.execute(update(ApiKey).where(ApiKey.id == created.id)
                     .values(last_used_at=utcnow() - timedelta(hours=1)))
    updates.clear()
    assert KeyService(db).verify(created.key) is not None
    assert len(updates) == 1


def test_verify_works_on_a_database_that_refuses_writes(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite opened read-only: the key still verifies (a read); the failed write is a warning."""
    created = KeyService(db).create("chat,records:read", patient_ids=["a"])
    read_only = Database(f"sqlite:///file:{tmp_path / 'keys.db'}?mode=ro&uri=true")
    try:
        with caplog.at_level(logging.WARNING, logger="app.services.keys"):
            principal = KeyService(read_only).verify(created.key)
        assert principal is not None
        assert principal.key_id == created.id and principal.patient_ids == frozenset({"a"})
        assert "could not record the use of API key" in caplog.text
        assert last_used(db, created.id) is None
    finally:
        read_only.dispose()


def test_wrong_and_revoked_keys_still_fail(db: Database) -> None:
    keys = KeyService(db)
    created = keys.create("chat")
    assert keys.verify(created.key + "x") is None
    assert keys.verify("cq_nope_secret") is None
    keys.revoke(created.id)
    assert keys.verify(created.key) is None
