"""A database that cannot be written (issue 15, finding 12): writes answer 503 with Retry-After, reads and
key checks keep working, /readyz says so, and an unwritable shared-memory file neither kills the process nor
stays broken once fixed.

The faults are real, not mocked: SQLite is made to refuse writes by the file system or by SQLite itself.
- `chattr +i` on the `-wal` / `-shm` file is what the finding did to a running server (writes then fail with
  "disk I/O error" on connections already open; an immutable `-shm` crashed the process with SIGBUS). It
  needs root with CAP_LINUX_IMMUTABLE on a file system with the flag (ext4, xfs); without, those tests skip.
- A database opened read-only (SQLite's `mode=ro` URI) runs everywhere, root or not: SQLite's own refusal
  ("attempt to write a readonly database"), the same error a read-only mount or file mode gives. File
  modes alone would not do here: the tests run as root, which ignores them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.errors import DatabaseUnavailableError
from app.main import create_app
from app.services.keys import KeyService

ROOT = Path(__file__).resolve().parents[2]
MEDS = {"record_id": "meds", "date": "2024-03-01", "kind": "medication_list",
        "text": "Current medications:\n- Warfarin"}


def _chattr_works(where: Path) -> bool:
    probe = where / "chattr-probe"
    probe.write_text("x")
    try:
        ok = shutil.which("chattr") is not None and subprocess.run(
            ["chattr", "+i", str(probe)], capture_output=True).returncode == 0
    finally:
        subprocess.run(["chattr", "-i", str(probe)], capture_output=True)
        probe.unlink()
    return ok


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture()
def chattr(tmp_path: Path) -> None:
    if not _chattr_works(tmp_path):
        pytest.skip("chattr +i is not available here (needs root with CAP_LINUX_IMMUTABLE on ext4/xfs)")


def h(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def populate(client: TestClient, admin: str) -> str:
    """A patient with a record and one chat; the conversation's id."""
    assert client.post("/v1/patients", json={"patient_id": "a"}, headers=h(admin)).status_code == 201
    assert client.post("/v1/patients/a/records", json=[MEDS], headers=h(admin)).status_code == 201
    r = client.post("/v1/chat", json={"message": "What is warfarin used for?"}, headers=h(admin))
    assert r.status_code == 200, r.text
    return str(r.json()["conversation_id"])


def assert_unavailable(r: Any) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert int(r.headers["retry-after"]) > 0
    assert r.json()["title"] == "Database unavailable"


def test_immutable_wal_reads_work_writes_503_readyz_says_so(
    settings_factory: Callable[..., Any], tmp_path: Path, chattr: None
) -> None:
    settings = settings_factory(auth={"enabled": True})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        db: Database = client.app.state.components.db  # type: ignore[attr-defined]
        keys = KeyService(db)
        admin = keys.create("chat,records:read,records:write,admin").key
        conv = populate(client, admin)
        fresh = keys.create("chat,records:read").key  # never used: verifying it wants to write last_used_at
        wal = tmp_path / "clinqa.db-wal"
        assert wal.exists()
        with immutable(wal):
            # Reads, and the key checks in front of them (the finding: every GET was a 500).
            r = client.get("/v1/patients/a", headers=h(fresh))
            assert r.status_code == 200, r.text
            assert client.get(f"/v1/conversations/{conv}", headers=h(admin)).status_code == 200
            # Record content is only shown with its access-log row written: no row, no content.
            assert_unavailable(client.get("/v1/patients/a/records", headers=h(admin)))
            # Writes: 503 with a retry hint, not 500.
            assert_unavailable(client.post("/v1/chat", json={"message": "Is ibuprofen safe?"}, headers=h(admin)))
            assert_unavailable(client.post("/v1/patients", json={"patient_id": "b"}, headers=h(admin)))
            ready = client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["database"].startswith("read-only"), ready.text
            assert client.get("/healthz").status_code == 200
        # Fixed: ready again, and writes go through on the same connections.
        assert client.get("/readyz").status_code == 200
        r = client.post("/v1/chat", json={"conversation_id": conv, "message": "Is ibuprofen safe?"},
                        headers=h(admin))
        assert r.status_code == 200, r.text


def test_read_only_database_serves_reads_and_refuses_writes(
    settings_factory: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "clinqa.db"
    settings = settings_factory(auth={"enabled": True})
    with TestClient(create_app(settings)) as client:
        db: Database = client.app.state.components.db  # type: ignore[attr-defined]
        admin = KeyService(db).create("chat,records:read,records:write,admin").key
        conv = populate(client, admin)
        fresh = KeyService(db).create("chat,records:read").key

    read_only = settings_factory(auth={"enabled": True}, database_url=f"sqlite:///file:{path}?mode=ro&uri=true")
    with TestClient(create_app(read_only), raise_server_exceptions=False) as client:
        assert client.get("/v1/patients/a", headers=h(fresh)).status_code == 200
        assert client.get(f"/v1/conversations/{conv}", headers=h(admin)).status_code == 200
        assert_unavailable(client.post("/v1/chat", json={"conversation_id": conv, "message": "And aspirin?"},
                                       headers=h(admin)))
        assert_unavailable(client.post("/v1/patients/a/records", headers=h(admin), json=[
            {**MEDS, "record_id": "meds-2"}]))
        ready = client.get("/readyz")
        assert ready.status_code == 503, ready.text
        assert ready.json()["database"].startswith("read-only")


def test_unwritable_shared_memory_neither_crashes_nor_sticks(tmp_path: Path, chattr: None) -> None:
    """In a child process, so that a regression (SIGBUS) fails this test instead of killing the run."""
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from sqlalchemy import text
        from app.db import Database
        from app.errors import DatabaseUnavailableError
        import subprocess

        db = Database("sqlite:///{tmp_path}/c.db")
        with db.transaction() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        shm = Path("{tmp_path}/c.db-shm")
        subprocess.run(["chattr", "+i", str(shm)], check=True)
        try:
            for use in (db.session, db.transaction):
                try:
                    with use() as s:
                        s.execute(text("SELECT count(*) FROM t"))
                    sys.exit("a database access went through an unwritable -shm file")
                except DatabaseUnavailableError as exc:
                    assert exc.retry_after > 0
            assert not db.ping()
            assert db.health().startswith("unavailable"), db.health()
            db.dispose()  # must not close (and checkpoint through) the mapping
        finally:
            subprocess.run(["chattr", "-i", str(shm)], check=True)
        with db.session() as s:
            assert s.execute(text("SELECT count(*) FROM t")).scalar() == 1
        assert db.health() == "ok", db.health()
        db.dispose()
        print("survived")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr[-3000:])
    assert "survived" in done.stdout
    assert "shared-memory file" in done.stderr  # the critical log line an operator sees


def test_unavailable_errors_only_for_unwritable_or_unreachable(tmp_path: Path) -> None:
    """A constraint violation stays what it is (not a 503): only refusals to write are turned into
    DatabaseUnavailableError."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    db = Database(f"sqlite:///{tmp_path}/d.db")
    try:
        with db.transaction() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        with pytest.raises(IntegrityError), db.transaction() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
    finally:
        db.dispose()
    ro = Database(f"sqlite:///file:{tmp_path}/d.db?mode=ro&uri=true")
    try:
        with ro.session() as s:
            assert s.execute(text("SELECT count(*) FROM t")).scalar() == 1
        with pytest.raises(DatabaseUnavailableError), ro.transaction() as conn:
            conn.execute(text("INSERT INTO t VALUES (2)"))
    finally:
        ro.dispose()


def test_a_shared_memory_file_appearing_during_the_check_is_not_a_fault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite creates and deletes its -shm file as connections come and go: a file that appears between the
    checks (8 workers' first connections at once did this) is not an unwritable one."""
    import app.db as db_module

    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    shm = tmp_path / "x.db-shm"
    real_access = os.access

    def access_then_appears(path: Any, mode: int) -> bool:
        answer = real_access(path, mode)  # False: not there yet
        shm.touch()  # another connection creates it right now
        return answer

    monkeypatch.setattr(db_module.os, "access", access_then_appears)
    db.check_shared_memory()  # no DatabaseUnavailableError
    monkeypatch.setattr(db_module.os, "access", real_access)
    db.dispose()
