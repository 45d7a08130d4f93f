"""`clinqa records ...`: import patients' records into the database the API serves from."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.config import get_settings
from app.db import Database
from app.errors import ClinqaError
from app.records.model import Record
from app.records.store import RecordStore

if TYPE_CHECKING:
    from app.records.fhir import FhirImport

records_app = typer.Typer(help="patients' historical records (MedRecord-augmented generation)", no_args_is_help=True)


class RecordFormat(StrEnum):
    JSONL = "jsonl"
    SYNTHEA = "synthea"
    FHIR = "fhir"


# Issues printed one by one before the rest are only counted.
SHOW_ISSUES = 50


def guess_format(path: Path) -> RecordFormat:
    """A directory holding Synthea CSVs is a Synthea export; a .json/.ndjson file, or a directory with such
    files and no *.jsonl, is FHIR; anything else is read as JSONL."""
    if path.is_dir() and any((path / f"{t}.csv").is_file() for t in ("patients", "medications", "conditions")):
        return RecordFormat.SYNTHEA
    if path.is_file() and path.suffix.lower() in (".json", ".ndjson"):
        return RecordFormat.FHIR
    if path.is_dir() and not any(path.glob("*.jsonl")) and (
        any(path.rglob("*.ndjson")) or any(path.rglob("*.json"))
    ):
        return RecordFormat.FHIR
    return RecordFormat.JSONL


@records_app.command("import")
def import_records(
    path: Annotated[Path, typer.Argument(help="a JSONL file, a directory of *.jsonl, a Synthea CSV export, or "
                                                 "FHIR R4 Bundles / NDJSON bulk export files (a file or a folder)")],
    fmt: Annotated[
        RecordFormat | None, typer.Option("--format", help="jsonl, synthea or fhir (default: guessed from PATH)")
    ] = None,
    database_url: Annotated[str | None, typer.Option(help="default: CLINQA_DATABASE_URL")] = None,
    rxnorm: Annotated[
        Path | None, typer.Option(help="FHIR: an RxNorm release folder (RXNCONSO.RRF, RXNREL.RRF) naming "
                                       "medications coded only by RxNorm")
    ] = None,
    encode: Annotated[
        bool, typer.Option(help="encode the records' chunks into CLINQA_RECORDS__VECTORS_FILE now, so a "
                                "patient's first chat encodes nothing")
    ] = True,
) -> None:
    """Import records (creating patients as needed; records with the same id are replaced)."""
    from app.records.fhir import read_fhir
    from app.records.jsonl import read_records
    from app.records.synthea import read_export

    settings = get_settings()
    db = Database(database_url or settings.database_url)
    db.migrate()
    store = RecordStore(db)
    chosen = fmt or guess_format(path)
    try:
        if chosen is RecordFormat.SYNTHEA:
            export = read_export(path)
            records = list(export.records)
            counts = store.import_records(records, export.patients)
            n_patients = len({r.patient_id for r in records} | {p.patient_id for p in export.patients})
        elif chosen is RecordFormat.FHIR:
            started = time.perf_counter()
            fhir = read_fhir(path, rxnorm_names=_rxnorm_names(rxnorm))
            records = fhir.records
            counts = store.import_records(records, fhir.patients)
            n_patients = len({r.patient_id for r in records} | {p.patient_id for p in fhir.patients})
            _report(fhir, time.perf_counter() - started)
        else:
            records = read_records(path)
            counts = store.import_records(records)
            n_patients = len({r.patient_id for r in records})
    except (ClinqaError, FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    finally:
        db.dispose()
    listed = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "no records"
    typer.echo(f"imported {sum(counts.values())} records for {n_patients} patients ({listed}) from {path}")
    if encode:
        _encode(records)


def _encode(records: list[Record]) -> None:
    settings = get_settings()
    vectors_file = settings.records.vectors_file
    if settings.records.dense and vectors_file is not None and records:
        from app.records.search import encode_record_chunks
        from indexing.embed import Encoder
        from indexing.embed_choice import resolve_backend

        embed = settings.embed
        backend = resolve_backend(embed.backend, settings.index_dir, settings.index_name, settings.corpus)
        encoder = Encoder(embed.model, embed.device, embed.batch_size, threads=embed.torch_threads,
                          backend=backend, cache_dir=embed.onnx_cache_dir)
        encoded = encode_record_chunks(encoder, records, vectors_file)
        typer.echo(f"encoded {encoded} new record chunks into {vectors_file}")


def _rxnorm_names(rxnorm: Path | None) -> Callable[[str], str | None] | None:
    if rxnorm is None:
        return None
    from app.records.rxnorm import RxNorm

    return RxNorm.load(rxnorm).name


def _report(fhir: FhirImport, seconds: float) -> None:
    """The resources that were not imported (on stderr), then one summary line."""
    elapsed = max(seconds, 1e-9)
    for issue in fhir.issues[:SHOW_ISSUES]:
        typer.echo(f"skipped: {issue}", err=True)
    if len(fhir.issues) > SHOW_ISSUES:
        typer.echo(f"skipped: ... and {len(fhir.issues) - SHOW_ISSUES} more", err=True)
    other = ", ".join(f"{t} {n}" for t, n in sorted(fhir.skipped.items()))
    typer.echo(f"read {fhir.resources} FHIR resources in {elapsed:.1f}s ({fhir.resources / elapsed:.0f}/s); "
               f"{len(fhir.issues)} not imported" + (" (listed above)" if fhir.issues else "")
               + (f"; types not read: {other}" if other else "")
               + (f"; {fhir.duplicates} read twice (the later copy kept)" if fhir.duplicates else ""))


@records_app.command("pull")
def pull_records(
    urls: Annotated[list[str], typer.Argument(
        help="FHIR server URLs answering a resource or a Bundle: BASE/Patient/ID/$everything, "
             "BASE/MedicationRequest?patient=ID, ...")],
    token_env: Annotated[str, typer.Option(help="the environment variable holding the bearer token "
                                                "(unset: no Authorization header)")] = "CLINQA_FHIR_TOKEN",
    database_url: Annotated[str | None, typer.Option(help="default: CLINQA_DATABASE_URL")] = None,
    rxnorm: Annotated[Path | None, typer.Option(help="an RxNorm release folder naming RxNorm-only codes")] = None,
    max_pages: Annotated[int, typer.Option(min=1, help="Bundle pages followed at most per URL")] = 1000,
    encode: Annotated[bool, typer.Option(help="encode the records' chunks now (see import)")] = True,
) -> None:
    """Import a patient's records from a FHIR R4 server (same conversion and reporting as a FHIR import;
    the Bundles' next pages are followed on the same server only)."""
    from app.records.fhir import pull_fhir

    for url in urls:
        if not url.startswith(("http://", "https://")):
            typer.echo(f"error: not an http(s) URL: {url}", err=True)
            raise typer.Exit(2)
    settings = get_settings()
    db = Database(database_url or settings.database_url)
    db.migrate()
    try:
        started = time.perf_counter()
        fhir = pull_fhir(urls, os.environ.get(token_env) or None, _rxnorm_names(rxnorm), max_pages=max_pages)
        counts = RecordStore(db).import_records(fhir.records, fhir.patients)
        _report(fhir, time.perf_counter() - started)
    except (ClinqaError, FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    finally:
        db.dispose()
    n_patients = len({r.patient_id for r in fhir.records} | {p.patient_id for p in fhir.patients})
    listed = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "no records"
    typer.echo(f"imported {sum(counts.values())} records for {n_patients} patients ({listed})")
    if encode:
        _encode(fhir.records)
