"""Engine and session factory from a SQLAlchemy URL (SQLite file by default).

A database that cannot be written (a read-only or immutable file, a full disk, a read-only replica) or
reached raises `DatabaseUnavailableError` from `session()` and `transaction()` (503 with Retry-After at the
API), and `health()` says so for /readyz. SQLite maps its `-shm` file into memory: once that file turns
unwritable (chattr +i, a read-only remount) the next touch of the mapping -- a read, or closing the last
connection -- kills the process with SIGBUS. So every session first checks that the file is still writable
and refuses (503) without touching SQLite otherwise; the process keeps serving /healthz and recovers when the
file is fixed. `faulthandler` is on for SQLite files, so a SIGBUS that still happens (a file made unwritable
in the middle of a transaction, or a shutdown while it is unwritable) leaves a traceback on stderr and a
non-zero exit status, not a silent death.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DatabaseUnavailableError
from app.models import Base

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5
# SQLite result codes (and their extended forms, e.g. SQLITE_IOERR_WRITE) meaning the file cannot be
# written or opened; SQLITE_BUSY (locked) is not among them: waiting helps, and callers retry it themselves.
_SQLITE_UNAVAILABLE = ("SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_PERM")
# PostgreSQL SQLSTATEs: read-only transaction (a standby), connection exceptions, insufficient resources
# (disk full), operator intervention (shutting down).
_PG_UNAVAILABLE = ("25006", "08", "53", "57P")


def is_unavailable(exc: BaseException) -> bool:
    """Whether a database error means the database cannot be written or reached right now (503), rather
    than a conflict, a lock to wait for or a bug."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    name = getattr(orig, "sqlite_errorname", None)
    if isinstance(name, str):
        return name.startswith(_SQLITE_UNAVAILABLE)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if isinstance(state, str) and state:
        return state.startswith(_PG_UNAVAILABLE)
    return bool(exc.connection_invalidated)


def _unavailable(exc: BaseException) -> DatabaseUnavailableError:
    reason = str(getattr(exc, "orig", None) or exc).strip() or type(exc).__name__
    return DatabaseUnavailableError(f"the database cannot be written right now ({reason}); please retry later",
                                    retry_after=RETRY_AFTER_S)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers proceed during a write; busy_timeout makes concurrent writers wait, not fail.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None: another database, or an in-memory one)."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("///", 1)[1] if "///" in url else ""
    path = path.split("?", 1)[0]
    if path.startswith("file:"):
        path = path[len("file:"):]
    return Path(path) if path and path != ":memory:" else None


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        file = sqlite_file(url)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _refuses_writes(path: Path) -> bool:
    """Whether `path` exists and cannot be written. SQLite creates and deletes its -shm file as connections come
    and go, so a missing file between the two checks is not a refusal: only a file seen to refuse writes twice."""
    return all(path.exists() and not os.access(path, os.W_OK) for _ in range(2))


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.file = sqlite_file(url)
        self._shm = Path(f"{self.file}-shm") if self.file is not None else None
        self._shm_broken = False
        if self.file is not None and not faulthandler.is_enabled():
            faulthandler.enable()  # a SIGBUS from SQLite's shared memory leaves a traceback and a status
        # SQLite has one writer at a time; a writer that finds the lock taken sleeps in SQLite's busy
        # handler in growing steps, and under 32 concurrent chats that sleeping dominated latency. Threads
        # of this process take turns here instead and the next one starts as soon as the last commits.
        self._turns = threading.RLock() if url.startswith("sqlite") else None

    def migrate(self) -> str | None:
        """Create or update the schema with the alembic migrations (the only path; see app/migrate.py)."""
        from app.migrate import upgrade

        if self.url in ("sqlite://", "sqlite:///:memory:"):  # a private in-memory database: no history
            Base.metadata.create_all(self.engine)
            return None
        return upgrade(self.url)

    def check_shared_memory(self) -> None:
        """Raise DatabaseUnavailableError when SQLite's `-shm` file exists but cannot be written: touching
        its mapping then would kill the process (SIGBUS). One access(2) call; false for an immutable file
        and on a read-only mount even for root."""
        shm = self._shm
        if shm is None or not _refuses_writes(shm):
            if self._shm_broken:
                self._shm_broken = False
                log.warning("database shared-memory file %s is writable again", shm)
            return
        if not self._shm_broken:
            self._shm_broken = True
            log.critical("database shared-memory file %s is not writable: refusing every database access "
                         "(SQLite would crash the process with SIGBUS) until it is writable again", shm)
        raise DatabaseUnavailableError(f"the database's shared-memory file {shm.name} is not writable; "
                                       "please retry later", retry_after=RETRY_AFTER_S)

    @contextmanager
    def session(self) -> Iterator[Session]:
        self.check_shared_memory()
        try:
            if self._turns is None:
                with self.sessions() as s:
                    yield s
            else:
                with self._turns, self.sessions() as s:
                    yield s
        except DBAPIError as exc:
            if is_unavailable(exc):
                raise _unavailable(exc) from exc
            raise

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A Core connection in a transaction, committed on leaving: the hot path (a chat turn's two writes),
        where the ORM's unit of work cost ~1.5 ms a write in bookkeeping alone."""
        self.check_shared_memory()
        try:
            if self._turns is None:
                with self.engine.begin() as conn:
                    yield conn
            else:
                with self._turns, self.engine.begin() as conn:
                    yield conn
        except DBAPIError as exc:
            if is_unavailable(exc):
                raise _unavailable(exc) from exc
            raise

    def ping(self) -> bool:
        try:
            self.check_shared_memory()
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def health(self) -> str:
        """For /readyz: "ok", "unreachable", "unavailable: <why>" (an unwritable -shm file), "busy: <why>",
        or "read-only: <why>" when the database answers but a write
        would fail. SQLite: the files' permissions, then a real write (page 1's user_version rewritten with
        its own value goes through the WAL); PostgreSQL: a read-only transaction (a standby)."""
        try:
            self.check_shared_memory()
        except DatabaseUnavailableError as exc:
            return f"unavailable: {exc.detail}"
        if not self.ping():
            return "unreachable"
        if self.file is not None:
            for path in (self.file, Path(f"{self.file}-wal"), self.file.parent):
                if path.exists() and not os.access(path, os.W_OK):
                    return f"read-only: {path.name or path} is not writable"
        try:
            with self.transaction() as conn:
                if self.engine.dialect.name == "sqlite":
                    version = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
                    conn.exec_driver_sql(f"PRAGMA user_version = {version}")
                elif (self.engine.dialect.name == "postgresql"
                      and conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on"):
                    return "read-only: the server accepts no writes (a standby?)"
        except DatabaseUnavailableError as exc:
            return f"read-only: {exc.__cause__.orig if isinstance(exc.__cause__, DBAPIError) else exc.detail}"
        except OperationalError as exc:  # locked for longer than busy_timeout: busy, not broken
            return f"busy: {exc.orig}"
        return "ok"

    def dispose(self) -> None:
        if self._shm is not None and self._shm.exists() and not os.access(self._shm, os.W_OK):
            # Closing the last connection checkpoints through the mapping: SIGBUS. Leave them open.
            log.critical("not closing the database connections: the shared-memory file %s is not writable "
                         "(closing would crash the process)", self._shm)
            return
        self.engine.dispose()
