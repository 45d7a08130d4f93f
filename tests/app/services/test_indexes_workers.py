"""Several server processes on one index: each follows CURRENT, rebuild jobs live in the shared database,
builders take turns on the index's build lock."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.config import Settings
from app.db import Database
from app.factory import lexicon_builder
from app.models import IndexRebuildJob
from app.pipeline.lexicon import MedicineLexicon
from app.services.indexes import IndexHolder, build_lock
from app.services.rebuild_jobs import ACTIVE, RebuildJobStore, RebuildRunningError
from indexing.build import build_index
from indexing.embed import Encoder
from indexing.store import CURRENT, SearchIndex, build_lock_path, current_version, index_home
from tests.conftest import MINI_CORPUS


@pytest.fixture
def shared(settings_factory: Callable[..., Any], mini_index_dir: Path, tmp_path: Path) -> Settings:
    index_dir = tmp_path / "index"
    shutil.copytree(mini_index_dir, index_dir)
    settings: Settings = settings_factory(index_dir=index_dir)
    return settings


@pytest.fixture
def db(shared: Settings) -> Iterator[Database]:
    database = Database(shared.database_url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture
def any_db(db_url: str) -> Iterator[Database]:
    """SQLite, and PostgreSQL where .ci/run provides one: the job table is shared state between workers."""
    database = Database(db_url)
    database.migrate()
    yield database
    database.dispose()


def _worker(
    settings: Settings, encoder: Encoder, db: Database, prepared: list[str] | None = None
) -> IndexHolder:
    """What each server process holds: its own IndexHolder over the shared index dir and database.
    `prepared` hears each version whose lexicon is built."""
    build = lexicon_builder(settings)

    def lexicon_for(index: SearchIndex) -> MedicineLexicon:
        if prepared is not None:
            prepared.append(index.version)
        return build(index)

    holder = IndexHolder(settings, encoder, lexicon_for, RebuildJobStore(db))
    holder.start(build_if_missing=False)
    return holder


def _publish_elsewhere(settings: Settings, encoder: Encoder) -> str:
    """A new version published by someone else (`clinqa index build`, another worker)."""
    from app.services.indexes import build_options

    result = build_index(MINI_CORPUS, build_options(settings, progress=False), encoder=encoder)
    return str(result.manifest["version"])


def _wait_for(predicate: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_version_published_elsewhere_is_picked_up(shared: Settings, encoder: Encoder, db: Database) -> None:
    prepared: list[str] = []
    holder = _worker(shared, encoder, db, prepared)
    before = holder.get().version
    prepared.clear()
    assert holder.refresh() is False  # nothing new
    new = _publish_elsewhere(shared, encoder)
    assert new != before and holder.get().version == before  # not before it looks
    holder.watch(0.05)
    try:
        _wait_for(lambda: holder.get().version == new)
    finally:
        holder.stop()
    assert prepared == [new]  # its lexicon was built before it served
    assert holder.serving().lexicon.names  # and swapped in with it
    assert holder.describe()["version"] == new


def test_an_unloadable_version_keeps_the_old_one_serving(
    shared: Settings, encoder: Encoder, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    holder = _worker(shared, encoder, db)
    good = holder.get().version
    home = index_home(shared.index_dir, shared.index_name)
    broken = home / "broken-version"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json", encoding="utf-8")
    (home / CURRENT).write_text("broken-version\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        assert holder.refresh() is False
        assert holder.refresh() is False
    assert holder.get().version == good
    assert sum("broken-version" in r.getMessage() for r in caplog.records) == 1  # said once, not every poll
    (home / CURRENT).write_text(good + "\n", encoding="utf-8")
    new = _publish_elsewhere(shared, encoder)
    assert holder.refresh() is True and holder.get().version == new


def test_rebuild_jobs_are_shared_by_workers(shared: Settings, encoder: Encoder, any_db: Database) -> None:
    a, b = _worker(shared, encoder, any_db), _worker(shared, encoder, any_db)
    before = a.get().version
    job = a.start_rebuild()
    seen = b.job(job.id)
    assert seen is not None and seen.id == job.id and seen.state in ("queued", "running", "succeeded")
    if seen.state != "succeeded":
        with pytest.raises(RebuildRunningError):
            b.start_rebuild()

    def finished() -> bool:
        j = b.job(job.id)
        return j is not None and j.state in ("succeeded", "failed")

    _wait_for(finished)
    done = b.job(job.id)
    assert done is not None and done.state == "succeeded", done
    assert done.previous_version == before and done.version == current_version(shared.index_dir, "medicines")
    assert done.started_at is not None and done.finished_at is not None and done.finished_at >= done.created_at
    assert a.get().version == done.version  # the worker that built it swapped at once
    assert b.refresh() is True and b.get().version == done.version  # the other follows CURRENT
    assert b.job("no-such-job") is None


def test_a_job_whose_worker_died_is_reported_failed(
    shared: Settings, encoder: Encoder, any_db: Database
) -> None:
    db = any_db
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    owner = f"{socket.gethostname()}:{dead.stdout.strip()}"  # a worker of this host that has exited
    with db.session() as s, s.begin():
        s.add(IndexRebuildJob(id="orphan", corpus="x", state="running", owner=owner))
    holder = _worker(shared, encoder, db)
    job = holder.job("orphan")
    assert job is not None and job.state == "failed" and "exited" in (job.error or "")
    with db.session() as s, s.begin():
        s.add(IndexRebuildJob(id="elsewhere", corpus="x", state="running", owner="another-host:1"))
    with pytest.raises(RebuildRunningError) as raised:  # a live (or uncheckable) owner blocks a second one
        holder.start_rebuild()
    assert raised.value.job.id == "elsewhere"


def test_only_one_of_many_simultaneous_rebuild_requests_gets_a_job(db_url: str) -> None:
    """Workers asking at the same instant: the "none active" check alone let several through (4 of 8 on
    SQLite; on PostgreSQL in 2 of 3 runs)."""
    workers = 8
    databases = [Database(db_url) for _ in range(workers)]  # one per worker process, as in production
    databases[0].migrate()
    start = threading.Barrier(workers)
    created: list[str] = []
    refused: list[str] = []

    def ask(database: Database) -> None:
        start.wait()
        try:
            created.append(RebuildJobStore(database).create("corpus.jsonl").id)
        except RebuildRunningError as exc:
            refused.append(exc.job.id)

    try:
        threads = [threading.Thread(target=ask, args=(d,)) for d in databases]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert len(created) == 1, created
        assert refused == [created[0]] * (workers - 1)
        with databases[0].session() as s:
            active = s.scalars(select(IndexRebuildJob).where(IndexRebuildJob.state.in_(ACTIVE))).all()
        assert [row.id for row in active] == created
    finally:
        for d in databases:
            d.dispose()


_HOLD_LOCK = """
import fcntl, sys, time
fh = open(sys.argv[1], "a")
fcntl.flock(fh, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""


def test_builders_take_turns_across_processes(shared: Settings, encoder: Encoder, db: Database) -> None:
    lock = build_lock_path(shared.index_dir, shared.index_name)
    other = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        with build_lock(shared, blocking=False) as free:
            assert free is False
        holder = _worker(shared, encoder, db)
        holder._complete_dense(MINI_CORPUS)  # another process builds: this one leaves it to that one
        assert holder.last_error is None and holder.get().version == current_version(shared.index_dir, "medicines")
    finally:
        other.kill()
        other.wait()
    with build_lock(shared, blocking=False) as free:  # released by the kernel when its holder died
        assert free is True


def test_cli_build_waits_for_a_running_build(shared: Settings, tmp_path: Path) -> None:
    lock = build_lock_path(shared.index_dir, shared.index_name)
    other = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(lock)], stdout=subprocess.PIPE, text=True)
    env = {**os.environ, "CLINQA_INDEX_DIR": str(shared.index_dir), "CLINQA_CORPUS": str(MINI_CORPUS),
           "CLINQA_VECTOR_CACHES": json.dumps([])}
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        build = subprocess.Popen([sys.executable, "-m", "app.cli", "index", "build", "--no-dense", "--quiet"],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert build.stderr is not None
        seen = ""
        while "waiting for another build" not in seen:  # however slow the CLI's start under load
            line = build.stderr.readline()
            assert line, f"the build never reported waiting: {seen}"
            seen += line
        time.sleep(1)
        assert build.poll() is None  # still waiting on the lock, not building beside the other builder
    finally:
        other.kill()
        other.wait()
    out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert out.startswith("built ")
