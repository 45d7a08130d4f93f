"""The `clinqa` command line."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.admin_cli import db_app, keys_app
from app.api.logging import quiet_noisy_loggers
from app.config import Settings, get_settings
from app.corpus_cli import corpus_app
from app.records.cli import records_app
from eval.cli import calibrate, eval_app

app = typer.Typer(help="clinqa: retrieval-augmented medication consultation", no_args_is_help=True)
index_app = typer.Typer(help="build and inspect the medicine index", no_args_is_help=True)
app.add_typer(index_app, name="index")
app.add_typer(records_app, name="records")
app.add_typer(eval_app, name="eval")
app.add_typer(keys_app, name="keys")
app.add_typer(db_app, name="db")
app.add_typer(corpus_app, name="corpus")


def _setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        quiet_noisy_loggers()


def _settings(index_dir: Path | None = None, corpus: Path | None = None) -> Settings:
    base = get_settings()
    updates: dict[str, object] = {}
    if index_dir is not None:
        updates["index_dir"] = index_dir
    if corpus is not None:
        updates["corpus"] = corpus
    return base.model_copy(update=updates) if updates else base


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address (default: settings, 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default: settings, 8000)")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="server processes (default: settings, CLINQA_WORKERS, 1)")
    ] = None,
) -> None:
    """Serve the API (building the index first if none exists)."""
    import uvicorn

    from app.api.logging import configure_server_logging
    from app.db import Database

    settings = get_settings()
    configure_server_logging(settings.log_format)
    processes = workers or settings.workers
    if processes > 1:
        # The workers start together: bring the schema up to date once, here, rather than racing them.
        db = Database(settings.database_url)
        db.migrate()
        db.dispose()
        if settings.index_watch_s <= 0:
            logging.getLogger(__name__).warning(
                "CLINQA_INDEX_WATCH_S=0 with %d workers: after a rebuild, only the worker that ran it serves "
                "the new index version", processes,
            )
    from app.api.metrics import shared_metrics_dir
    from app.serve_pidfile import ServerAlreadyRunning, holding_pid_file

    bind_port = port or settings.port
    try:
        # With several workers, /metrics sums every worker's counts from files in one directory per run.
        with holding_pid_file(settings.run_dir, bind_port), shared_metrics_dir(processes):
            uvicorn.run(
                "app.main:worker_app",
                factory=True,
                workers=processes,
                host=host or settings.host,
                port=bind_port,
                log_level="info",
                log_config=None,  # keep ours: uvicorn's loggers propagate to the root handler
            )
    except ServerAlreadyRunning as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command()
def stop(
    port: Annotated[int | None, typer.Option(help="the port of the server to stop (default: settings, 8000)")] = None,
    all_ports: Annotated[bool, typer.Option("--all", help="every server this checkout started")] = False,
    force: Annotated[bool, typer.Option("--force", help="SIGKILL one that has not exited after the wait")] = False,
    wait_s: Annotated[float, typer.Option(min=0.5, help="seconds to wait for a clean exit")] = 20.0,
) -> None:
    """Stop a server started by `clinqa serve` / `make run` (from its PID file; other processes are untouched)."""
    from app.serve_pidfile import recorded_ports, stop_server

    settings = get_settings()
    ports = recorded_ports(settings.run_dir) if all_ports else [port or settings.port]
    if not ports:
        typer.echo(f"no clinqa server recorded under {settings.run_dir}")
        return
    failed = False
    for p in ports:
        result = stop_server(settings.run_dir, p, timeout_s=wait_s, force=force)
        messages = {
            "stopped": f"stopped the clinqa server on port {p} (pid {result.pid})",
            "not_running": f"no clinqa server recorded for port {p} (nothing to stop)",
            "stale": f"the clinqa server on port {p} (pid {result.pid}) had already exited; removed its PID file",
            "not_clinqa": f"pid {result.pid} recorded for port {p} is no clinqa server any more; "
            "removed the stale PID file and signalled nothing",
            "still_running": f"the clinqa server on port {p} (pid {result.pid}) has not exited after {wait_s:g} s; "
            "run again with --force to kill it",
        }
        failed = failed or result.outcome == "still_running"
        typer.echo(messages[result.outcome], err=result.outcome == "still_running")
    if failed:
        raise typer.Exit(1)


@index_app.command("build")
def index_build(
    corpus: Annotated[Path | None, typer.Option(help="medicine database (clinqa JSONL)")] = None,
    index_dir: Annotated[Path | None, typer.Option(help="where index versions live")] = None,
    no_dense: Annotated[bool, typer.Option("--no-dense", help="BM25 only (no embeddings)")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bars")] = False,
) -> None:
    """Build a new index version aside and switch to it atomically."""
    from app.factory import build_encoder
    from app.services.indexes import build_lock, build_options
    from indexing.build import build_index
    from indexing.sources.errors import CorpusError

    _setup_logging()
    settings = _settings(index_dir, corpus)
    options = build_options(settings, progress=not quiet)
    options.with_dense = not no_dense
    try:
        with build_lock(settings, blocking=False) as free:
            if not free:
                typer.echo("[index] waiting for another build of this index (a server rebuild?) to finish", err=True)
        with build_lock(settings):
            result = build_index(
                settings.corpus,
                options,
                encoder=build_encoder(settings),
                on_stage=lambda s: typer.echo(f"[index] {s}", err=True),
            )
    except (CorpusError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if settings.sentence_store:
        _write_sentence_store(result.path)
    m = result.manifest
    typer.echo(
        f"built {m['version']}: {m['n_medicines']} medicines, {m['n_chunks']} chunks, "
        f"{m['retrieval']}, {m['build_seconds']} s -> {result.path}"
    )


def _write_sentence_store(version_dir: Path) -> None:
    """The reader's sentence store for the new version (app.pipeline.sentence_store), split on every core."""
    from app.pipeline.label_prefetch import compute_chunk_sentences
    from app.pipeline.sentence_store import chunks_of, write_store

    typer.echo("[index] reader sentences", err=True)
    write_store(version_dir, chunks_of(version_dir), compute_chunk_sentences, workers=os.cpu_count() or 1)


@index_app.command("info")
def index_info(
    index_dir: Annotated[Path | None, typer.Option(help="where index versions live")] = None,
) -> None:
    """Print the manifest of the serving index version."""
    from indexing.store import current_path, read_manifest

    settings = _settings(index_dir)
    path = current_path(settings.index_dir, settings.index_name)
    if path is None:
        typer.echo(
            f"error: no index under {settings.index_dir}/{settings.index_name}; run `clinqa index build`",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(json.dumps({"path": str(path), **read_manifest(path)}, indent=2))


# `clinqa calibrate` is the documented name of `clinqa eval calibrate`.
app.command(name="calibrate", help="Choose k with a risk guarantee (Learn-then-Test); same as `eval calibrate`.")(
    calibrate
)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
