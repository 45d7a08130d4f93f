"""`clinqa corpus build`: the medicine database from label sources (openFDA, DailyMed SPL, collections)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from indexing.corpus import INDEXED_ATTRIBUTES, Candidate, CorpusOptions, build_corpus, write_corpus
from indexing.schema import ATTRIBUTES
from indexing.sources.errors import CorpusError

corpus_app = typer.Typer(help="build the medicine database from label sources", no_args_is_help=True)


@corpus_app.command("build")
def build(
    sources: Annotated[
        list[Path],
        typer.Argument(
            help="label sources, any mix: openFDA JSON / JSON lines / bulk zip parts, collection label JSON, "
            "DailyMed SPL XML files or zips, or folders of them"
        ),
    ],
    out: Annotated[Path, typer.Option(help="where the corpus goes")] = Path("corpora/medicines.jsonl"),
    strict: Annotated[bool, typer.Option(help="stop at the first bad record instead of counting it")] = False,
    all_sections: Annotated[
        bool, typer.Option("--all-sections", help="keep every section uncut, 'other' included")
    ] = False,
    detail: Annotated[int, typer.Option(help="problems and collisions listed in the summary")] = 20,
    quiet: Annotated[bool, typer.Option(help="no progress bar")] = False,
) -> None:
    """Read every source, keep the newest label version, merge per ingredient set and route, write the corpus
    (sorted by id) and print a summary: medicines, sections by kind, merged, dropped and why."""
    if all_sections:
        options = CorpusOptions(indexed=ATTRIBUTES, caps={}, strict=strict)
    else:
        options = CorpusOptions(indexed=INDEXED_ATTRIBUTES, strict=strict)
    bar = tqdm(desc="labels", unit="label", disable=quiet)

    def tick(_: Candidate) -> None:
        bar.update(1)

    try:
        summary = build_corpus(sources, options, on_label=tick)
    except CorpusError as exc:
        bar.close()
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    bar.close()
    typer.echo(summary.render(detail))
    if not summary.medicines:
        typer.echo("error: no medicines to write", err=True)
        raise typer.Exit(1)
    write_corpus(summary, out)
    typer.echo(f"written: {out} ({len(summary.medicines)} medicines)")
