"""Patients and their records in the database.

Every write bumps the patient's `revision`, in the same transaction, so a search index built from an older
revision knows it is stale, in this process or any other (a `clinqa records import` while the API runs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Patient, PatientRecord
from app.records.errors import PatientExistsError, PatientNotFoundError, RecordExistsError, RecordNotFoundError
from app.records.model import Record
from app.records.schema import PatientIn, PatientOut


@dataclass(frozen=True, slots=True)
class AddResult:
    added: int
    replaced: int
    record_ids: list[str]


def to_record(row: PatientRecord) -> Record:
    return Record(
        patient_id=row.patient_id,
        record_id=row.record_id,
        date=row.date.isoformat(),
        kind=row.kind,
        text=row.text,
        regions=dict(row.regions or {}),
        images=tuple(row.images or ()),
    )


@dataclass(frozen=True)
class PatientSummary:
    patient_id: str
    name: str | None
    n_records: int


class RecordStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- patients ------------------------------------------------------------------------------------------

    def create_patient(self, patient: PatientIn, exist_ok: bool = False) -> PatientOut:
        """Create a patient; with exist_ok, update the demographics of an existing one instead."""
        with self.db.session() as s:
            row = s.get(Patient, patient.patient_id)
            if row is not None and not exist_ok:
                raise PatientExistsError(patient.patient_id)
            if row is None:
                row = Patient(patient_id=patient.patient_id, revision=0)
                s.add(row)
            row.name = patient.name if patient.name is not None else row.name
            row.birth_date = patient.birth_date if patient.birth_date is not None else row.birth_date
            row.sex = patient.sex if patient.sex is not None else row.sex
            row.demographics = {**(row.demographics or {}), **patient.demographics}
            s.commit()
        return self.get_patient(patient.patient_id)

    def exists(self, patient_id: str) -> bool:
        with self.db.session() as s:
            return s.get(Patient, patient_id) is not None

    def get_patient(self, patient_id: str) -> PatientOut:
        with self.db.session() as s:
            row = self._patient(s, patient_id)
            kinds = dict(
                s.execute(
                    select(PatientRecord.kind, func.count())
                    .where(PatientRecord.patient_id == patient_id)
                    .group_by(PatientRecord.kind)
                ).tuples().all()
            )
            latest = s.scalar(select(func.max(PatientRecord.date)).where(PatientRecord.patient_id == patient_id))
            return PatientOut(
                patient_id=row.patient_id,
                name=row.name,
                birth_date=row.birth_date,
                sex=row.sex,
                demographics=dict(row.demographics or {}),
                n_records=sum(kinds.values()),
                kinds=dict(sorted(kinds.items())),
                latest_record=latest,
            )

    def list_patients(
        self, limit: int = 100, offset: int = 0, only: Iterable[str] | None = None
    ) -> list[PatientSummary]:
        """Patients by id with their record counts; `only`: restrict to these ids (a limited API key)."""
        with self.db.session() as s:
            counts = (
                select(PatientRecord.patient_id, func.count().label("n"))
                .group_by(PatientRecord.patient_id)
                .subquery()
            )
            q = select(Patient.patient_id, Patient.name, counts.c.n).outerjoin(
                counts, counts.c.patient_id == Patient.patient_id
            )
            if only is not None:
                q = q.where(Patient.patient_id.in_(list(only)))
            q = q.order_by(Patient.patient_id).offset(offset).limit(limit)
            return [PatientSummary(pid, name, int(n or 0)) for pid, name, n in s.execute(q).tuples()]

    def revision(self, patient_id: str) -> int | None:
        """The patient's record revision; None when there is no such patient."""
        with self.db.session() as s:
            return s.scalar(select(Patient.revision).where(Patient.patient_id == patient_id))

    @staticmethod
    def _patient(s: Session, patient_id: str) -> Patient:
        row = s.get(Patient, patient_id)
        if row is None:
            raise PatientNotFoundError(patient_id)
        return row

    # -- records -------------------------------------------------------------------------------------------

    def add_records(self, patient_id: str, records: list[Record], replace: bool = False) -> AddResult:
        """Add records to an existing patient in one transaction. A record_id the patient already has is a
        conflict, unless `replace`: then the stored record is overwritten."""
        if any(r.patient_id != patient_id for r in records):
            raise ValueError("every record must belong to the patient it is added to")
        ids = [r.record_id for r in records]
        duplicates = [rid for rid, n in Counter(ids).items() if n > 1]
        if duplicates:
            raise RecordExistsError(patient_id, duplicates)
        with self.db.session() as s:
            patient = self._patient(s, patient_id)
            existing = {
                row.record_id: row
                for chunk in _chunks(ids, 500)
                for row in s.scalars(
                    select(PatientRecord).where(
                        PatientRecord.patient_id == patient_id, PatientRecord.record_id.in_(chunk)
                    )
                )
            }
            if existing and not replace:
                raise RecordExistsError(patient_id, sorted(existing))
            for r in records:
                row = existing.get(r.record_id)
                if row is None:
                    s.add(_row(r))
                else:
                    row.date, row.kind, row.text = date.fromisoformat(r.date), r.kind, r.text
                    row.regions, row.images = dict(r.regions), list(r.images)
            if records:
                patient.revision = (patient.revision or 0) + 1
            s.commit()
        return AddResult(len(records) - len(existing), len(existing), ids)

    def import_records(self, records: Iterable[Record], patients: Iterable[PatientIn] = ()) -> dict[str, int]:
        """Bulk import (CLI): creates missing patients, replaces records with the same id. Returns counts of
        records per kind."""
        for p in patients:
            self.create_patient(p, exist_ok=True)
        by_patient: dict[str, list[Record]] = {}
        for r in records:
            by_patient.setdefault(r.patient_id, []).append(r)
        counts: Counter[str] = Counter()
        for patient_id, rows in by_patient.items():
            if not self.exists(patient_id):
                self.create_patient(PatientIn(patient_id=patient_id))
            self.add_records(patient_id, rows, replace=True)
            counts.update(r.kind for r in rows)
        return dict(counts)

    def list_records(
        self, patient_id: str, kinds: Iterable[str] | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Record]:
        """The patient's records, newest first (ties by record_id)."""
        with self.db.session() as s:
            self._patient(s, patient_id)
            q = select(PatientRecord).where(PatientRecord.patient_id == patient_id)
            kinds = list(kinds) if kinds is not None else None
            if kinds is not None:
                q = q.where(PatientRecord.kind.in_(kinds))
            q = q.order_by(PatientRecord.date.desc(), PatientRecord.record_id).offset(offset)
            if limit is not None:
                q = q.limit(limit)
            return [to_record(row) for row in s.scalars(q)]

    def get_record(self, patient_id: str, record_id: str) -> Record:
        with self.db.session() as s:
            self._patient(s, patient_id)
            row = s.scalar(
                select(PatientRecord).where(
                    PatientRecord.patient_id == patient_id, PatientRecord.record_id == record_id
                )
            )
            if row is None:
                raise RecordNotFoundError(patient_id, record_id)
            return to_record(row)

    def delete_record(self, patient_id: str, record_id: str) -> None:
        with self.db.session() as s:
            patient = self._patient(s, patient_id)
            result = s.execute(
                delete(PatientRecord).where(
                    PatientRecord.patient_id == patient_id, PatientRecord.record_id == record_id
                )
            )
            if not getattr(result, "rowcount", 0):
                raise RecordNotFoundError(patient_id, record_id)
            patient.revision = (patient.revision or 0) + 1
            s.commit()


def _row(r: Record) -> PatientRecord:
    return PatientRecord(
        patient_id=r.patient_id,
        record_id=r.record_id,
        date=date.fromisoformat(r.date),
        kind=r.kind,
        text=r.text,
        regions=dict(r.regions),
        images=list(r.images),
    )


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
