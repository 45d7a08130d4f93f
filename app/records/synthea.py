"""Turn a Synthea CSV export into patients and dated records.

Each row of medications, conditions, allergies, encounters and imaging_studies becomes one record (kinds
medication, condition, allergy, encounter, imaging_study), dated by its start. Per patient three summary
records are derived, dated at the patient's latest record: the current medication list (medications with
no STOP date), the active allergies and the active conditions (medication_list, allergy_list,
problem_list): the global records MAG puts before medication questions.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.records.errors import RecordFormatError
from app.records.model import ALLERGY_LIST, MEDICATION_LIST, PROBLEM_LIST, Record
from app.records.schema import PatientIn

TABLES: dict[str, str] = {  # file stem -> record kind
    "medications": "medication",
    "conditions": "condition",
    "allergies": "allergy",
    "encounters": "encounter",
    "imaging_studies": "imaging_study",
}


@dataclass
class SyntheaExport:
    patients: list[PatientIn] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows read

    def counts(self) -> dict[str, int]:
        return dict(Counter(r.kind for r in self.records))


def _day(value: str) -> str:
    value = value.strip()
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ValueError(f"not a date: {value!r}") from None


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _reason(row: dict[str, str]) -> str:
    return f" Reason: {row['REASONDESCRIPTION']}." if row.get("REASONDESCRIPTION") else ""


def _text(table: str, row: dict[str, str]) -> str:
    start, stop = _day(row["START"] if "START" in row else row["DATE"]), row.get("STOP", "")
    desc = row.get("DESCRIPTION", "")
    if table == "medications":
        status = f"stopped {_day(stop)}" if stop else "still taken (no stop date)"
        return f"Medication: {desc} (RxNorm {row.get('CODE', '')}). Started {start}; {status}.{_reason(row)}"
    if table == "conditions":
        status = f"resolved {_day(stop)}" if stop else "active"
        return f"Condition: {desc} (SNOMED {row.get('CODE', '')}). Onset {start}; {status}."
    if table == "allergies":
        status = f"ended {_day(stop)}" if stop else "active"
        reactions = [row[k] for k in ("DESCRIPTION1", "DESCRIPTION2") if row.get(k)]
        reaction = f" Reactions: {', '.join(reactions)}." if reactions else ""
        return f"Allergy: {desc} (SNOMED {row.get('CODE', '')}). Recorded {start}; {status}.{reaction}"
    if table == "encounters":
        return f"Encounter ({row.get('ENCOUNTERCLASS', '')}): {desc}.{_reason(row)}"
    if table == "imaging_studies":
        return (
            f"Imaging study: {row.get('MODALITY_DESCRIPTION', '')} of {row.get('BODYSITE_DESCRIPTION', '')} "
            f"({row.get('SOP_DESCRIPTION', '')})."
        )
    raise ValueError(f"unknown table {table}")


def _record_id(kind: str, row: dict[str, str], seen: Counter[str]) -> str:
    digest = hashlib.sha1(repr(sorted(row.items())).encode()).hexdigest()[:16]
    seen[digest] += 1
    return f"synthea-{kind}-{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")


def _name(row: dict[str, str]) -> str | None:
    parts = [re.sub(r"\d+", "", row.get(k, "")).strip() for k in ("FIRST", "LAST")]
    return " ".join(p for p in parts if p) or None


def read_patients(path: Path) -> list[PatientIn]:
    out = []
    for line_no, row in _rows(path):
        try:
            out.append(
                PatientIn(
                    patient_id=row["Id"],
                    name=_name(row),
                    birth_date=date.fromisoformat(row["BIRTHDATE"]) if row.get("BIRTHDATE") else None,
                    sex=row.get("GENDER") or None,
                    demographics={
                        k.lower(): row[k] for k in ("DEATHDATE", "RACE", "ETHNICITY", "CITY", "STATE") if row.get(k)
                    },
                )
            )
        except (KeyError, ValueError) as exc:
            raise RecordFormatError(f"{path}:{line_no}: {exc}") from exc
    return out


def read_table(path: Path, table: str) -> list[tuple[Record, dict[str, str]]]:
    kind = TABLES[table]
    seen: Counter[str] = Counter()
    out = []
    for line_no, row in _rows(path):
        try:
            day = _day(row["START"] if "START" in row else row["DATE"])
            record = Record(
                patient_id=row["PATIENT"],
                record_id=_record_id(kind, row, seen),
                date=day,
                kind=kind,
                text=_text(table, row),
                regions={row["BODYSITE_DESCRIPTION"].lower(): _text(table, row)}
                if table == "imaging_studies" and row.get("BODYSITE_DESCRIPTION")
                else {},
            )
        except (KeyError, ValueError) as exc:
            raise RecordFormatError(f"{path}:{line_no}: {exc}") from exc
        out.append((record, row))
    return out


def _summaries(patient_id: str, day: str, current: dict[str, list[dict[str, str]]]) -> list[Record]:
    def lines(rows: list[dict[str, str]], what: str) -> list[str]:
        latest: dict[str, dict[str, str]] = {}
        for row in sorted(rows, key=lambda r: r.get("START", "")):
            latest[row.get("DESCRIPTION", "")] = row
        out = []
        for desc, row in latest.items():
            reason = f"; for {row['REASONDESCRIPTION']}" if row.get("REASONDESCRIPTION") else ""
            out.append(f"- {desc} ({what} {_day(row['START'])}{reason})")
        return out

    specs = [
        (MEDICATION_LIST, "Current medications", lines(current["medications"], "since"), "No current medications."),
        (ALLERGY_LIST, "Allergies", lines(current["allergies"], "recorded"), "No known allergies."),
        (PROBLEM_LIST, "Active conditions", lines(current["conditions"], "since"), "No active conditions."),
    ]
    return [
        Record(patient_id, f"synthea-{kind}", day, kind,
               f"{title} as of {day}:\n" + "\n".join(body) if body else f"{empty} (as of {day})")
        for kind, title, body, empty in specs
    ]


def read_export(directory: Path) -> SyntheaExport:
    """Patients and records of a Synthea CSV export directory (tables that are absent are skipped)."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: not a directory (expected a Synthea CSV export)")
    export = SyntheaExport()
    if (directory / "patients.csv").is_file():
        export.patients = read_patients(directory / "patients.csv")
        export.rows["patients"] = len(export.patients)
    current: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    latest: dict[str, str] = {}
    for table in TABLES:
        path = directory / f"{table}.csv"
        if not path.is_file():
            continue
        rows = read_table(path, table)
        export.rows[table] = len(rows)
        for record, row in rows:
            export.records.append(record)
            latest[record.patient_id] = max(latest.get(record.patient_id, record.date), record.date)
            if table in ("medications", "allergies", "conditions") and not row.get("STOP"):
                current[record.patient_id][table].append(row)
    if not export.rows:
        raise RecordFormatError(f"{directory}: no Synthea tables (patients.csv, medications.csv, ...) found")
    listed = [p.patient_id for p in export.patients]
    patient_ids = listed + sorted(set(latest) - set(listed))
    for pid in patient_ids:
        if pid in latest:
            export.records.extend(_summaries(pid, latest[pid], current[pid]))
    return export
