"""Schema migrations (alembic): `clinqa db upgrade` and the server's start-up both call `upgrade`.

One path for every database: the schema is created and changed only by the revisions in `migrations/`.
A database made before migrations existed (tables created by `create_all`, no `alembic_version`) is
brought up to date by creating the missing tables and stamping it at the current head.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from app.db import make_engine
from app.models import Base

log = logging.getLogger(__name__)


def migrations_dir() -> Path:
    """`migrations/` next to the `app` package (a checkout, an editable install) or in the working
    directory (the Docker image installs the package and copies migrations/ to /app)."""
    for root in (Path(__file__).resolve().parents[1], Path.cwd()):
        if (root / "migrations" / "env.py").is_file():
            return root / "migrations"
    raise FileNotFoundError("no migrations/ directory next to the app package or in the working directory")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logging"] = False
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(url: str, revision: str = "head") -> str | None:
    """Bring the database at `url` to `revision`; returns the revision it is at afterwards."""
    engine = make_engine(url)
    try:
        cfg = alembic_config(url)
        tables = set(inspect(engine).get_table_names())
        app_tables = set(Base.metadata.tables)
        if "alembic_version" not in tables and tables & app_tables:
            log.info("database has tables but no migration history: creating missing tables, stamping head")
            Base.metadata.create_all(engine)
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.stamp(cfg, "head")
        else:
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        return current_revision(engine)
    finally:
        engine.dispose()


def schema_diff(url: str) -> list[Any]:
    """What autogenerate would change to make the database match the models (empty: they agree)."""
    from alembic.autogenerate import compare_metadata

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(ctx, Base.metadata))
    finally:
        engine.dispose()
