"""Index rebuild jobs in the database: any server worker can report a job that another one runs, and the
"one rebuild at a time" rule holds across workers. A job whose worker process died is reported failed."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.db import Database
from app.errors import ConflictError
from app.models import IndexRebuildJob
from indexing.store import pid_alive

ACTIVE = ("queued", "running")
_HOST = socket.gethostname()


@dataclass
class RebuildJob:
    """A background rebuild (POST /v1/admin/index/rebuild): queued -> running -> succeeded | failed."""

    id: str
    corpus: str
    state: str = "queued"
    created_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None
    previous_version: str | None = None
    version: str | None = None
    retrieval: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class RebuildRunningError(ConflictError):
    def __init__(self, job: RebuildJob) -> None:
        super().__init__(f"an index rebuild is already running (job {job.id})", job_id=job.id,
                         job_url=f"/v1/admin/index/rebuild/{job.id}")
        self.job = job


def this_process() -> str:
    return f"{_HOST}:{os.getpid()}"


def _owner_gone(owner: str) -> bool:
    """True when the owner ran on this host and its process no longer exists (a worker of another host
    cannot be checked from here and counts as alive)."""
    host, _, pid = owner.rpartition(":")
    return host == _HOST and not pid_alive(pid)


def _epoch(at: datetime | None) -> float | None:
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()


def _job(row: IndexRebuildJob) -> RebuildJob:
    return RebuildJob(
        id=row.id, corpus=row.corpus, state=row.state, created_at=_epoch(row.created_at) or 0.0,
        started_at=_epoch(row.started_at), finished_at=_epoch(row.finished_at),
        previous_version=row.previous_version, version=row.version, retrieval=row.retrieval, error=row.error,
    )


class RebuildJobStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, corpus: str) -> RebuildJob:
        """A new queued job owned by this process; RebuildRunningError while another job is active."""
        try:
            return self._insert_unless_active(corpus)
        except (IntegrityError, OperationalError):
            # Another worker took the active slot between our check and our insert (IntegrityError), or
            # committed under SQLite's read snapshot (OperationalError): its job is committed now, so a second
            # look finds it and refuses.
            return self._insert_unless_active(corpus)

    def _insert_unless_active(self, corpus: str) -> RebuildJob:
        with self.db.session() as s, s.begin():
            for row in s.scalars(select(IndexRebuildJob).where(IndexRebuildJob.state.in_(ACTIVE))):
                if not _mark_if_orphaned(row):
                    raise RebuildRunningError(_job(row))
            s.flush()  # an orphan just failed gives its slot up before ours is taken
            row = IndexRebuildJob(
                id=uuid.uuid4().hex[:16], corpus=corpus, state="queued", created_at=datetime.now(UTC),
                owner=this_process(), active=True,
            )
            s.add(row)
            s.flush()
            return _job(row)

    def get(self, job_id: str) -> RebuildJob | None:
        with self.db.session() as s, s.begin():
            row = s.get(IndexRebuildJob, job_id)
            if row is None:
                return None
            if row.state in ACTIVE:
                _mark_if_orphaned(row)
            return _job(row)

    def started(self, job_id: str, previous_version: str | None) -> None:
        self._set(job_id, state="running", started_at=datetime.now(UTC), previous_version=previous_version)

    def succeeded(self, job_id: str, version: str, retrieval: str) -> None:
        self._set(
            job_id, state="succeeded", finished_at=datetime.now(UTC), version=version, retrieval=retrieval, active=None
        )

    def failed(self, job_id: str, error: str) -> None:
        self._set(job_id, state="failed", finished_at=datetime.now(UTC), error=error, active=None)

    def _set(self, job_id: str, **values: Any) -> None:
        with self.db.transaction() as conn:
            conn.execute(update(IndexRebuildJob).where(IndexRebuildJob.id == job_id).values(**values))


def _mark_if_orphaned(row: IndexRebuildJob) -> bool:
    """Fail an active job whose worker process is gone (killed mid-build: the old index kept serving)."""
    if not _owner_gone(row.owner):
        return False
    row.state, row.finished_at, row.active = "failed", datetime.now(UTC), None
    row.error = f"the server process that ran it ({row.owner}) exited before it finished"
    return True
