"""`clinqa corpus build`: the medicine database from label sources (openFDA, DailyMed SPL, collections)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from app.pipeline.synonyms import load_brand_table
from indexing.alias_audit import audit_aliases, summarize
from indexing.brand_forms import BRAND_FORMS_FILE, load_brand_forms
from indexing.corpus import (
    INDEXED_ATTRIBUTES,
    Candidate,
    CorpusOptions,
    build_corpus,
    iter_candidates,
    write_corpus,
)
from indexing.schema import ATTRIBUTES
from indexing.sources.clinqa_jsonl import iter_medicines
from indexing.sources.errors import CorpusError
from indexing.sources.openfda import LoadNotes
from indexing.sources.stream import LoadReport

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
    brand_forms: Annotated[
        Path, typer.Option(help="brands -> the form they mean; such a brand is no alias of another form")
    ] = BRAND_FORMS_FILE,
    quiet: Annotated[bool, typer.Option(help="no progress bar")] = False,
) -> None:
    """Read every source, keep the newest label version, merge per ingredient set and route, write the corpus
    (sorted by id) and print a summary: medicines, sections by kind, merged, dropped and why."""
    try:
        forms = load_brand_forms(brand_forms)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if all_sections:
        options = CorpusOptions(indexed=ATTRIBUTES, caps={}, strict=strict, brand_forms=forms)
    else:
        options = CorpusOptions(indexed=INDEXED_ATTRIBUTES, strict=strict, brand_forms=forms)
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


@corpus_app.command("aliases")
def aliases(
    sources: Annotated[list[Path], typer.Argument(help="the label sources the corpus was built from")],
    corpus: Annotated[Path, typer.Option(help="the medicine database to audit")] = Path("corpora/medicines.jsonl"),
    brands: Annotated[Path, typer.Option(help="the maintained brand -> generic table")] = Path(
        "corpora/names/brands.tsv"
    ),
    brand_forms: Annotated[Path, typer.Option(help="brands -> the form they mean")] = BRAND_FORMS_FILE,
    out: Annotated[Path | None, typer.Option(help="write every finding here (TSV) too")] = None,
    detail: Annotated[int, typer.Option(help="findings printed per reason")] = 15,
) -> None:
    """List aliases the labels do not support: not the labels' own brand or generic names, a brand of
    another form, one alias on several medicines, a brand the label text never names (indexing.alias_audit)."""
    report, notes = LoadReport(), LoadNotes()
    try:
        for _ in iter_candidates(sources, report, notes):
            pass
        medicines = list(iter_medicines(corpus))
        table = load_brand_table(brands)
        forms = load_brand_forms(brand_forms)
    except (CorpusError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    found = audit_aliases(medicines, notes.label_names, table, forms)
    alias_count = sum(len(m.aliases) for m in medicines)
    typer.echo(f"{len(medicines)} medicines, {alias_count} aliases, {len(notes.label_names)} labels read")
    for reason, n in summarize(found).items():
        typer.echo(f"{reason}: {n}")
        for item in [f for f in found if f.reason == reason][:detail]:
            typer.echo(f"  {item.medicine_id}: {item.alias!r} ({item.detail})")
    if out is not None:
        out.write_text("".join(f"{f.render()}\n" for f in found), encoding="utf-8")
        typer.echo(f"written: {out}")
