"""The `clinqa` command line."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.config import Settings, get_settings

app = typer.Typer(help="clinqa: retrieval-augmented medication consultation", no_args_is_help=True)
index_app = typer.Typer(help="build and inspect the medicine index", no_args_is_help=True)
app.add_typer(index_app, name="index")


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
) -> None:
    """Serve the API (building the index first if none exists)."""
    import uvicorn

    from app.main import create_app

    _setup_logging()
    settings = get_settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


@index_app.command("build")
def index_build(
    corpus: Annotated[Path | None, typer.Option(help="medicine database (clinqa JSONL)")] = None,
    index_dir: Annotated[Path | None, typer.Option(help="where index versions live")] = None,
    no_dense: Annotated[bool, typer.Option("--no-dense", help="BM25 only (no embeddings)")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bars")] = False,
) -> None:
    """Build a new index version aside and switch to it atomically."""
    from app.index_service import build_options
    from indexing.build import build_index
    from indexing.embed import Encoder
    from indexing.sources.errors import CorpusError

    _setup_logging()
    settings = _settings(index_dir, corpus)
    options = build_options(settings, progress=not quiet)
    options.with_dense = not no_dense
    try:
        result = build_index(
            settings.corpus,
            options,
            encoder=Encoder(settings.embed.model, settings.embed.device, settings.embed.batch_size),
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


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
