"""Importing records: Synthea CSV exports and JSONL files, through the library and the CLI."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.db import Database
from app.records.errors import RecordFormatError
from app.records.jsonl import read_records
from app.records.store import RecordStore
from app.records.synthea import TABLES, read_export
from tests.app.records.conftest import ADA, BOB, SYNTHEA_MINI

SHIPPED = Path(__file__).resolve().parents[4] / "shared" / "data" / "synthea"


def csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


@pytest.mark.skipif(not SHIPPED.is_dir(), reason="the shipped Synthea cohort (../shared/data/synthea) is absent")
def test_shipped_cohort_counts_match_the_csv(store: RecordStore) -> None:
    export = read_export(SHIPPED)
    counts = store.import_records(export.records, export.patients)
    for table, kind in TABLES.items():
        assert counts[kind] == csv_rows(SHIPPED / f"{table}.csv"), table
    with_records = {r.patient_id for r in export.records}
    assert counts["medication_list"] == counts["allergy_list"] == counts["problem_list"] == len(with_records)
    assert len(export.patients) == csv_rows(SHIPPED / "patients.csv")
    # What is stored is what was read: per-kind counts summed over patients.
    stored: Counter[str] = Counter()
    for pid in with_records:
        stored.update(store.get_patient(pid).kinds)
    assert dict(stored) == counts


def test_mini_export_records_and_summaries(store: RecordStore) -> None:
    export = read_export(SYNTHEA_MINI)
    assert export.rows == {"patients": 2, "medications": 5, "conditions": 3, "allergies": 2, "encounters": 5,
                           "imaging_studies": 1}
    store.import_records(export.records, export.patients)
    ada = store.get_patient(ADA)
    assert ada.name == "Ada Lovelace" and ada.sex == "F" and str(ada.birth_date) == "1950-03-14"
    assert ada.kinds == {"allergy": 1, "allergy_list": 1, "condition": 2, "encounter": 3, "imaging_study": 1,
                         "medication": 3, "medication_list": 1, "problem_list": 1}
    [meds] = store.list_records(ADA, ["medication_list"])
    assert "Warfarin Sodium 5 MG Oral Tablet" in meds.text and "Metformin" in meds.text
    assert "Ibuprofen" not in meds.text  # stopped in 2015: not current
    assert meds.date == "2019-09-17"  # as of the patient's latest record
    [problems] = store.list_records(ADA, ["problem_list"])
    assert "Atrial fibrillation" in problems.text and "bronchitis" not in problems.text
    [allergies] = store.list_records(BOB, ["allergy_list"])
    assert "Ibuprofen allergy" in allergies.text
    newest_first = [r.date for r in store.list_records(ADA)]
    assert newest_first == sorted(newest_first, reverse=True)


def test_reimport_replaces_rather_than_duplicates(store: RecordStore) -> None:
    export = read_export(SYNTHEA_MINI)
    store.import_records(export.records, export.patients)
    before = store.get_patient(ADA).n_records
    store.import_records(read_export(SYNTHEA_MINI).records)
    assert store.get_patient(ADA).n_records == before


def test_bad_synthea_row_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "medications.csv").write_text(
        "START,STOP,PATIENT,CODE,DESCRIPTION\n2020-01-01,,p1,1,Aspirin\nyesterday,,p1,2,Ibuprofen\n"
    )
    with pytest.raises(RecordFormatError, match=r"medications\.csv:3: not a date"):
        read_export(tmp_path)


def write_jsonl(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(x) if not isinstance(x, str) else x for x in lines) + "\n")
    return path


GOOD = {"patient_id": "p-1", "record_id": "r-1", "date": "2024-01-05", "kind": "radiology_report",
        "text": "Small left pleural effusion.", "regions": {"left pleura": "Small left pleural effusion."},
        "images": ["files/p1/s1/img.jpg"]}


def test_jsonl_records(tmp_path: Path) -> None:
    no_id = {k: v for k, v in GOOD.items() if k != "record_id"}
    path = write_jsonl(tmp_path / "r.jsonl", [GOOD, "", "# a comment", no_id | {"kind": "Visit_Note"}])
    first, second = read_records(path)
    assert first.record_id == "r-1" and first.regions == GOOD["regions"] and first.images == ("files/p1/s1/img.jpg",)
    assert second.kind == "visit_note" and second.record_id.startswith("visit_note-")
    assert read_records(path)[1].record_id == second.record_id  # derived ids are stable


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"bad\.jsonl:2: not valid JSON"),
        ("[1, 2]", r"bad\.jsonl:2: expected a JSON object"),
        (json.dumps(GOOD | {"date": "2024-13-01"}), r"bad\.jsonl:2: date:"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "text"}), r"bad\.jsonl:2: text: Field required"),
        (json.dumps(GOOD | {"text": "   "}), r"bad\.jsonl:2: text:"),
        (json.dumps(GOOD | {"kind": "x-ray report"}), r"bad\.jsonl:2: kind:"),
        (json.dumps(GOOD | {"colour": "red"}), r"bad\.jsonl:2: colour: Extra inputs"),
    ],
)
def test_malformed_jsonl_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [GOOD, line])
    with pytest.raises(RecordFormatError, match=message):
        read_records(path)


def test_cli_imports_jsonl_and_synthea(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    jsonl = write_jsonl(tmp_path / "records.jsonl", [GOOD, GOOD | {"record_id": "r-2", "date": "2024-02-01"}])
    result = runner.invoke(cli, ["records", "import", str(jsonl), "--database-url", url, "--no-encode"])
    assert result.exit_code == 0, result.output
    assert "imported 2 records for 1 patients" in result.output
    result = runner.invoke(cli, ["records", "import", str(SYNTHEA_MINI), "--format", "synthea", "--database-url", url,
                                 "--no-encode"])
    assert result.exit_code == 0, result.output
    assert "for 2 patients" in result.output and "medication 5" in result.output
    store = RecordStore(Database(url))
    assert store.get_patient("p-1").n_records == 2
    assert store.get_patient(BOB).kinds["medication"] == 2


def test_cli_reports_a_bad_line_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    bad = write_jsonl(tmp_path / "bad.jsonl", [GOOD, "{oops"])
    result = CliRunner().invoke(cli, ["records", "import", str(bad), "--database-url", url])
    assert result.exit_code == 2
    assert "bad.jsonl:2" in result.output
    assert not RecordStore(Database(url)).exists("p-1")
