"""The `clinqa` command line."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.admin_cli import db_app, keys_app
from app.config import Settings, get_settings
from app.corpus_cli import corpus_app
from app.records.cli import records_app
from eval.cli import eval_app

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
    uvicorn.run(
        "app.main:worker_app",
        factory=True,
        workers=processes,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        log_config=None,  # keep ours: uvicorn's loggers propagate to the root handler
    )


@index_app.command("build")
def index_build(
    corpus: Annotated[Path | None, typer.Option(help="medicine database (clinqa JSONL)")] = None,
    index_dir: Annotated[Path | None, typer.Option(help="where index versions live")] = None,
    no_dense: Annotated[bool, typer.Option("--no-dense", help="BM25 only (no embeddings)")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bars")] = False,
) -> None:
    """Build a new index version aside and switch to it atomically."""
    from app.factory import build_encoder
    from app.index_service import build_lock, build_options
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
    m = result.manifest
    typer.echo(
        f"built {m['version']}: {m['n_medicines']} medicines, {m['n_chunks']} chunks, "
        f"{m['retrieval']}, {m['build_seconds']} s -> {result.path}"
    )


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


@app.command()
def calibrate(
    data: Annotated[Path, typer.Option(help="consultation benchmark (JSONL); its calibration part is used")],
    alpha: Annotated[float, typer.Option(help="target risk: the share of wrong answers to stay under")] = 0.1,
    delta: Annotated[float, typer.Option(help="allowed probability that the guarantee fails")] = 0.1,
    k_max: Annotated[int, typer.Option("--k-max", help="candidate ks are 1..K")] = 20,
    out: Annotated[Path, typer.Option(help="calibration file to write")] = Path("calibration.json"),
    fwer: Annotated[str, typer.Option(help="fixed_sequence | bonferroni | bonferroni_holm")] = "fixed_sequence",
    order: Annotated[str, typer.Option(
        help="fixed-sequence order: descending (k_max first) | ascending | split (order learned on half of the "
        "calibration items by their risk, tested on the other half)")] = "descending",
    judge: Annotated[str, typer.Option(help="auto | citation | llm | choice (eval/judges.py)")] = "auto",
    mode: Annotated[str, typer.Option(help="drr | rtr")] = "drr",
    fraction: Annotated[float, typer.Option(help="share of the file used for calibration (rest: held out)")] = 0.5,
    seed: Annotated[int, typer.Option(help="seed of the calibration/held-out split")] = 0,
    limit: Annotated[int | None, typer.Option(help="only the first N calibration items")] = None,
    index_dir: Annotated[Path | None, typer.Option(help="where index versions live")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
) -> None:
    """Choose k (contexts read) so that risk <= alpha with probability >= 1 - delta (Learn-then-Test)."""
    from app.pipeline.types import Mode
    from eval.calibrate import CalibrateConfig, run_calibration
    from eval.datasets.consult import DatasetError
    from eval.judges import build_judge
    from eval.results import EvalError
    from eval.runtime import load_orchestrator

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = _settings(index_dir)
    # Calibrate the pipeline as configured, but reading at every k: the selector setting plays no part.
    settings = settings.model_copy(update={"select": settings.select.model_copy(update={"mode": "fixed"})})
    try:
        from app.factory import build_chat_model

        model = build_chat_model(settings) if judge in ("auto", "llm") else None
        config = CalibrateConfig(data=data, out=out, alpha=alpha, delta=delta, k_max=k_max, fwer=fwer, order=order,
                                 mode=Mode.from_str(mode), fraction=fraction, seed=seed, limit=limit,
                                 progress=not quiet)
        config.validate()
        run = run_calibration(load_orchestrator(settings), settings, config, build_judge(judge, model))
    except (EvalError, DatasetError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    for line in run.payload["summary"]:
        typer.echo(line)
    typer.echo("wrote " + ", ".join(str(f) for f in run.files))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
