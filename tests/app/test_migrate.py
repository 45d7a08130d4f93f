"""Alembic migrations: an empty database is brought to the models' schema, and the two agree."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from app.cli import app as cli
from app.db import make_engine
from app.migrate import current_revision, head_revision, schema_diff, upgrade
from app.models import Base


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_creates_the_schema_and_matches_the_models(db_url: str) -> None:
    assert _tables(db_url) == set()
    assert upgrade(db_url) == head_revision()
    assert _tables(db_url) == set(Base.metadata.tables) | {"alembic_version"}
    # autogenerate would change nothing: the migrations and the ORM models agree (types included)
    assert schema_diff(db_url) == []
    assert upgrade(db_url) == head_revision()  # idempotent


def test_every_model_table_is_in_the_initial_revision() -> None:
    for table in ("conversations", "messages", "patients", "patient_records", "api_keys", "record_access_log"):
        assert table in Base.metadata.tables


def test_cli_db_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'cli.db'}"
    result = CliRunner().invoke(cli, ["db", "upgrade", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert f"revision {head_revision()}" in result.output
    result = CliRunner().invoke(cli, ["db", "current", "--database-url", url])
    assert result.exit_code == 0 and f"current: {head_revision()}" in result.output


def test_a_database_made_before_migrations_is_stamped(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'legacy.db'}"
    engine = create_engine(url)
    legacy = [Base.metadata.tables[t] for t in ("conversations", "messages")]
    Base.metadata.create_all(engine, tables=legacy)
    engine.dispose()
    assert upgrade(url) == head_revision()
    engine = make_engine(url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    assert schema_diff(url) == []


def test_rebuild_jobs_active_before_0003_keep_one_slot(db_url: str) -> None:
    """A database with jobs left active (the race 0003 closes): the newest takes the one active slot."""
    assert upgrade(db_url, "0002") == "0002"
    engine = make_engine(db_url)
    rows = [
        ("old", "running", "2026-11-23 08:00:00+00:00"),
        ("new", "queued", "2026-11-23 09:00:00+00:00"),
        ("done", "succeeded", "2026-11-23 10:00:00+00:00"),
    ]
    try:
        with engine.begin() as conn:
            for job_id, state, created in rows:
                conn.execute(
                    text(
                        "INSERT INTO index_rebuild_jobs (id, corpus, state, created_at, owner) "
                        "VALUES (:id, 'c', :state, :created, 'h:1')"
                    ),
                    {"id": job_id, "state": state, "created": created},
                )
    finally:
        engine.dispose()
    assert upgrade(db_url) == head_revision()
    assert schema_diff(db_url) == []
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            slots = dict(conn.execute(text("SELECT id, active FROM index_rebuild_jobs")).all())
    finally:
        engine.dispose()
    assert slots == {"old": None, "new": True, "done": None}
