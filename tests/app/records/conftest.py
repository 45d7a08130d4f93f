"""Fixtures for patient records: a scratch database, the mini Synthea export, and reports to search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db import Database
from app.records.model import Record
from app.records.schema import PatientIn
from app.records.store import RecordStore

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SYNTHEA_MINI = FIXTURES / "synthea_mini"
ADA = "aaaa1111-0000-4000-8000-000000000001"  # on warfarin and metformin; allergic to penicillin
BOB = "bbbb2222-0000-4000-8000-000000000002"  # on sertraline; allergic to ibuprofen

REPORT_A = (
    "FINDINGS: PA and lateral views of the chest. There is a new opacity in the left lower lobe concerning "
    "for pneumonia. Small right pleural effusion is unchanged. The cardiac silhouette is mildly enlarged. "
    "No pneumothorax. IMPRESSION: Left lower lobe pneumonia."
)
REPORT_B = (
    "FINDINGS: The lungs are hyperinflated. Zebrafish-shaped calcified granuloma in the right upper lobe. "
    "Heart size is normal. IMPRESSION: No acute cardiopulmonary process."
)


@pytest.fixture()
def db(db_url: str) -> Iterator[Database]:
    """The record store's database: SQLite and PostgreSQL (see tests/conftest.py `db_url`)."""
    database = Database(db_url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture()
def store(db: Database) -> RecordStore:
    return RecordStore(db)


def report(patient_id: str, record_id: str, day: str, text: str, kind: str = "radiology_report") -> Record:
    return Record(patient_id, record_id, day, kind, text)


@pytest.fixture()
def two_patients(store: RecordStore) -> RecordStore:
    """Two patients whose records share words (pleural, lobe) but each has a word of their own."""
    for pid in ("patient-a", "patient-b"):
        store.create_patient(PatientIn(patient_id=pid))
    store.add_records("patient-a", [
        report("patient-a", "a-cxr-1", "2020-01-02", REPORT_A),
        report("patient-a", "a-meds", "2020-01-03", "Current medications:\n- Warfarin Sodium 5 MG Oral Tablet",
               "medication_list"),
    ])
    store.add_records("patient-b", [
        report("patient-b", "b-cxr-1", "2021-06-07", REPORT_B),
        report("patient-b", "b-note", "2021-06-08", "Visit note: patient reports a left pleural effusion "
               "was drained last year; takes sertraline.", "visit_note"),
    ])
    return store
