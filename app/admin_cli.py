"""`clinqa keys ...` (API keys) and `clinqa db ...` (schema migrations)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from app.config import get_settings

keys_app = typer.Typer(help="API keys: create (shown once), list, revoke", no_args_is_help=True)
db_app = typer.Typer(help="database schema (alembic migrations)", no_args_is_help=True)

DatabaseUrl = Annotated[str | None, typer.Option(help="SQLAlchemy URL (default: CLINQA_DATABASE_URL)")]


def _db(database_url: str | None):  # type: ignore[no-untyped-def]
    from app.db import Database

    db = Database(database_url or get_settings().database_url)
    db.migrate()
    return db


@keys_app.command("create")
def keys_create(
    scope: Annotated[str, typer.Option(help="comma-separated: chat,records:read,records:write,admin")],
    patient: Annotated[list[str] | None, typer.Option(help="limit the key to this patient (repeatable)")] = None,
    name: Annotated[str | None, typer.Option(help="a label for the key")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a key; it is printed alone on the last line, the only time it is shown."""
    from app.services.keys import KeyService

    try:
        created = KeyService(_db(database_url)).create(scope, patient or None, name)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    patients = ",".join(created.patient_ids) if created.patient_ids else "all"
    typer.echo(f"id: {created.id}  scopes: {','.join(created.scopes)}  patients: {patients}")
    typer.echo("Store this key now; it is not shown again:")
    typer.echo(created.key)


@keys_app.command("list")
def keys_list(database_url: DatabaseUrl = None) -> None:
    """Keys as JSON lines (ids, scopes, patients, dates; never the secret)."""
    from app.services.keys import KeyService

    for k in KeyService(_db(database_url)).list():
        typer.echo(json.dumps({
            "id": k.id, "name": k.name, "scopes": k.scopes, "patient_ids": k.patient_ids,
            "created_at": k.created_at.isoformat() if k.created_at else None,
            "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
            "last_used_at": k.last_used_at.isoformat() if k.last_used_at else None,
        }))


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="the key's id")], database_url: DatabaseUrl = None) -> None:
    """Revoke a key: it is refused from the next request on."""
    from app.services.keys import KeyService

    if not KeyService(_db(database_url)).revoke(key_id):
        typer.echo(f"error: no key with id {key_id!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {key_id}")


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="target revision")] = "head",
    database_url: DatabaseUrl = None,
) -> None:
    """Apply the schema migrations (the server also does this at start-up)."""
    from app.migrate import upgrade

    url = database_url or get_settings().database_url
    typer.echo(f"database at revision {upgrade(url, revision)}")


@db_app.command("current")
def db_current(database_url: DatabaseUrl = None) -> None:
    """The revision the database is at, and the newest one."""
    from app.db import make_engine
    from app.migrate import current_revision, head_revision

    engine = make_engine(database_url or get_settings().database_url)
    try:
        typer.echo(f"current: {current_revision(engine)}  head: {head_revision()}")
    finally:
        engine.dispose()
