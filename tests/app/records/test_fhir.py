"""FHIR R4 import (issue 21): Bundles, NDJSON bulk files and folders of them; bad resources reported by file
and position without stopping the import; the same patient from Synthea CSV and from FHIR gives the same
lists and the same answer."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.db import Database
from app.factory import Components, build_components
from app.records.cli import RecordFormat, guess_format
from app.records.fhir import read_fhir
from app.records.model import Record
from app.records.provider import list_entries
from app.records.store import RecordStore
from app.records.synthea import read_export
from app.services.chat import Caller, ChatQuestion
from app.services.keys import Principal
from eval.synthea_fhir import convert
from tests.app.records.conftest import ADA, BOB, FIXTURES, SYNTHEA_MINI

FHIR = FIXTURES / "fhir"
BUNDLE = FHIR / "carol_bundle.json"
BULK = FHIR / "bulk"
CAROL = "carol-3"


def by_kind(records: list[Record], pid: str) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for r in records:
        if r.patient_id == pid:
            out.setdefault(r.kind, []).append(r)
    return out


def lists(records: list[Record]) -> dict[tuple[str, str], str]:
    return {(r.patient_id, r.kind): r.text for r in records if r.kind.endswith("_list")}


def test_a_transaction_bundle_gives_dated_records_and_the_mag_lists() -> None:
    got = read_fhir(BUNDLE)
    kinds = by_kind(got.records, CAROL)
    assert [p.patient_id for p in got.patients] == [CAROL]
    assert got.patients[0].name == "Carol Chen" and got.patients[0].sex == "F"
    meds = list_entries(kinds["medication_list"][0].text)
    # a referenced Medication (by fullUrl), one coded only by RxNorm, a contained Medication; the statement
    # that ended is not current; the reason comes from the referenced Condition
    assert meds == [
        "omeprazole 20 MG Delayed Release Oral Capsule (since 2021-07-01)",
        "RxNorm 314076 (since 2022-01-10)",
        "apixaban 5 MG Oral Tablet (since 2023-05-02; for Atrial fibrillation)",
    ]
    assert {r.record_id: r.date for r in kinds["medication"]}["fhir-medication-ms-naproxen"] == "2020-03-01"
    assert "stopped 2020-03-15" in next(r.text for r in kinds["medication"] if "Naproxen" in r.text)
    assert list_entries(kinds["allergy_list"][0].text) == ["Sulfonamide antibiotics (recorded 2010-06-01)"]
    assert list_entries(kinds["problem_list"][0].text) == [
        "Chronic kidney disease stage 3 (since 2021-02-01)", "Atrial fibrillation (since 2023-05-01)"]
    # labs keep their dates; the key results are the latest of each
    assert len(kinds["lab"]) == 5 and len(kinds["vital_sign"]) == 1
    key = kinds["key_labs"][0].text
    assert "eGFR: 41 mL/min/1.73m2 (2024-02-01" in key and "58" not in key
    assert "INR: 1.1" in key and "Potassium: 5.3 mmol/L" in key and "Body weight: 61.5 kg (2024-02-02" in key
    report = kinds["radiology_report"][0]
    assert report.date == "2024-02-03"
    assert "Small left pleural effusion." in report.text and "costophrenic angle" in report.text  # base64 form
    assert "asks about ibuprofen" in kinds["clinical_note"][0].text
    assert kinds["medication_list"][0].date == "2024-02-04"  # the patient's latest record
    assert got.rxnorm[CAROL] == ["1364441", "314076", "198053"]


def test_bad_and_unknown_resources_are_reported_by_position_and_the_rest_imported() -> None:
    got = read_fhir(BUNDLE)
    issues = [str(i) for i in got.issues]
    assert len(issues) == 2
    assert issues[0].startswith(f"{BUNDLE}: entry 19: invalid MedicationRequest: authoredOn")
    assert issues[1] == f"{BUNDLE}: entry 20: unknown resource type 'Frobnicate'"
    assert dict(got.skipped) == {"Claim": 1}  # FHIR knows it; clinqa does not read it
    assert got.resources == 21
    assert not any("Aspirin" in r.text for r in got.records)


def test_ndjson_bulk_files_resolve_references_across_files_and_report_lines() -> None:
    got = read_fhir(BULK)
    issues = [str(i) for i in got.issues]
    ndjson = BULK / "MedicationRequest.ndjson"
    assert [i.split(": ")[0] for i in issues] == [f"{ndjson}:2", f"{ndjson}:3", f"{ndjson}:6"]
    assert "not valid JSON" in issues[0] and "status" in issues[1] and "subject" in issues[2]
    meds = by_kind(got.records, "dave-4")["medication_list"][0].text
    assert list_entries(meds) == ["Warfarin Sodium 5 MG Oral Tablet (since 2024-01-01)",
                                  "amlodipine 5 MG Oral Tablet (since 2024-01-02)"]
    assert got.patients[0].birth_date is not None and got.patients[0].birth_date.isoformat() == "1960-01-01"


def test_a_searchset_skips_its_outcome_and_a_folder_reads_everything() -> None:
    got = read_fhir(FHIR / "searchset.json")
    assert not got.issues and got.resources == 2
    assert list_entries(by_kind(got.records, "erin-5")["allergy_list"][0].text) == ["Penicillin (recorded 2015-01-01)"]
    everything = read_fhir(FHIR)
    assert {p.patient_id for p in everything.patients} == {CAROL, "dave-4", "erin-5"}
    assert len(everything.issues) == 5 and everything.duplicates == 0


def test_the_same_resource_twice_is_imported_once(converted: Path) -> None:
    once = read_fhir(converted / "ndjson")
    twice = read_fhir(converted)  # bundles/ and ndjson/: every resource twice
    assert twice.duplicates == once.resources == 18
    assert sorted((r.record_id, r.text) for r in twice.records) == sorted((r.record_id, r.text) for r in once.records)


def test_what_clinqa_cannot_store_is_reported(tmp_path: Path) -> None:
    base = {"resourceType": "Condition", "code": {"text": "Gout"}, "onsetDateTime": "2020-01-01"}
    lines = [
        {**base, "id": "c1", "subject": {"reference": "Patient/ok-1"}},
        {**base, "id": "c2", "subject": {"reference": "Patient/not a valid id"}},
        {**base, "id": "c3", "subject": {"reference": "Patient/ok-1"}, "code": {"text": "Go\u0000ut"}},
    ]
    (tmp_path / "Condition.ndjson").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    got = read_fhir(tmp_path)
    issues = [str(i) for i in got.issues]
    assert len(issues) == 2
    assert issues[0].startswith(f"{tmp_path / 'Condition.ndjson'}:2: Condition skipped: patient id 'not a valid id'")
    assert issues[1].startswith(f"{tmp_path / 'Condition.ndjson'}:3: Condition skipped: its text contains NUL")
    assert [r.record_id for r in got.records if r.kind == "condition"] == ["fhir-condition-c1"]


def test_rxnorm_names_name_a_medication_coded_only_by_its_code() -> None:
    got = read_fhir(BUNDLE, rxnorm_names={"314076": "lisinopril 10 MG Oral Tablet"}.get)
    meds = list_entries(by_kind(got.records, CAROL)["medication_list"][0].text)
    assert "lisinopril 10 MG Oral Tablet (since 2022-01-10)" in meds


def test_unreadable_files_are_reported_and_other_files_still_read(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{oops", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "pz"}}, {"fullUrl": "x"}, 5]}), encoding="utf-8")
    got = read_fhir(tmp_path)
    assert [str(i) for i in got.issues] == [
        f"{tmp_path / 'a.json'}: not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 "
        "(char 1))",
        f"{tmp_path / 'b.json'}: entry 1: entry has no resource",
        f"{tmp_path / 'b.json'}: entry 2: entry has no resource",
    ]
    assert [p.patient_id for p in got.patients] == ["pz"]


# --- the same patients from Synthea CSV and from FHIR ------------------------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthea-fhir")
    counts = convert(SYNTHEA_MINI, out)
    assert counts == {"AllergyIntolerance": 2, "Condition": 3, "Encounter": 5, "ImagingStudy": 1,
                      "MedicationRequest": 5, "Patient": 2}
    return out


@pytest.mark.parametrize("layout", ["bundles", "ndjson"])
def test_the_converted_synthea_fixture_gives_the_same_lists_as_the_csv(converted: Path, layout: str) -> None:
    csv_export = read_export(SYNTHEA_MINI)
    got = read_fhir(converted / layout)
    assert not got.issues
    assert lists(got.records) == lists(csv_export.records)
    assert len(lists(got.records)) == 6
    assert {p.patient_id: (p.name, p.birth_date, p.sex) for p in got.patients} == {
        p.patient_id: (p.name, p.birth_date, p.sex) for p in csv_export.patients}
    assert dated(got.records) == dated(csv_export.records)


def dated(records: list[Record]) -> list[tuple[str, str, str]]:
    return sorted((r.patient_id, r.kind, r.date) for r in records if not r.kind.endswith("_list"))


SHIPPED = Path(__file__).resolve().parents[4] / "shared" / "data" / "synthea"


@pytest.mark.skipif(not SHIPPED.is_dir(), reason="the shipped Synthea cohort (../shared/data/synthea) is absent")
def test_the_shipped_cohort_converted_to_ndjson_gives_the_same_lists(tmp_path: Path) -> None:
    convert(SHIPPED, tmp_path)
    got = read_fhir(tmp_path / "ndjson")
    csv_export = read_export(SHIPPED)
    assert not got.issues
    assert lists(got.records) == lists(csv_export.records)
    assert dated(got.records) == dated(csv_export.records)
    imaging = [(r.patient_id, r.text, r.regions) for r in got.records if r.kind == "imaging_study"]
    assert imaging and sorted(imaging, key=str) == sorted(
        ((r.patient_id, r.text, r.regions) for r in csv_export.records if r.kind == "imaging_study"), key=str)


def _components(settings_factory: Callable[..., Any], db_url: str) -> Components:
    c = build_components(settings_factory(database_url=db_url))
    c.db.migrate()
    c.indexes.start(build_if_missing=False)
    return c


@pytest.fixture()
def two_stores(settings_factory: Callable[..., Any], tmp_path: Path,
               converted: Path) -> Iterator[tuple[Components, Components]]:
    from_csv = _components(settings_factory, f"sqlite:///{tmp_path / 'csv.db'}")
    export = read_export(SYNTHEA_MINI)
    from_csv.records.store.import_records(export.records, export.patients)
    from_fhir = _components(settings_factory, f"sqlite:///{tmp_path / 'fhir.db'}")
    fhir = read_fhir(converted / "bundles")
    from_fhir.records.store.import_records(fhir.records, fhir.patients)
    yield from_csv, from_fhir
    from_csv.db.dispose()
    from_fhir.db.dispose()


@pytest.mark.parametrize("patient", [ADA, BOB])
def test_a_patient_from_csv_and_from_fhir_gets_the_same_answer(two_stores: tuple[Components, Components],
                                                               patient: str) -> None:
    caller = Caller(Principal("k1", frozenset({"chat", "records:read"}), None), "req")
    answers = [c.chat.chat(ChatQuestion("Can I take ibuprofen?", patient_id=patient), caller).answer
               for c in two_stores]
    csv_answer, fhir_answer = answers
    assert csv_answer.text == fhir_answer.text
    assert csv_answer.notice == fhir_answer.notice
    assert csv_answer.notice  # a medication or allergy notice: the lists were read
    assert [q.to_dict() for q in csv_answer.queries] == [q.to_dict() for q in fhir_answer.queries]
    assert [(r.kind, r.text) for r in csv_answer.records_used] == [(r.kind, r.text) for r in fhir_answer.records_used]


# --- the CLI -----------------------------------------------------------------------------------------------


def test_cli_guesses_fhir_and_reports_skipped_resources(tmp_path: Path) -> None:
    assert guess_format(BUNDLE) is RecordFormat.FHIR
    assert guess_format(BULK) is RecordFormat.FHIR
    assert guess_format(SYNTHEA_MINI) is RecordFormat.SYNTHEA
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(cli, ["records", "import", str(FHIR), "--database-url", url, "--no-encode"])
    assert result.exit_code == 0, result.output
    assert f"skipped: {BULK / 'MedicationRequest.ndjson'}:2: not valid JSON" in result.output
    assert "5 not imported" in result.output and "types not read: Claim 1" in result.output
    assert "for 3 patients" in result.output
    store = RecordStore(Database(url))
    carol = store.get_patient(CAROL)
    assert carol.kinds["medication"] == 4 and carol.kinds["radiology_report"] == 1
    result = CliRunner().invoke(cli, ["records", "import", str(BUNDLE), "--database-url", url, "--no-encode",
                                      "--rxnorm", str(FIXTURES / "rxnorm")])
    assert result.exit_code == 0, result.output
    meds = store.get_record(CAROL, "fhir-medication_list").text
    assert "- lisinopril 10 MG Oral Tablet (since 2022-01-10)" in meds
