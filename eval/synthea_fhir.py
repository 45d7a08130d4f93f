"""Convert a Synthea CSV export to FHIR R4: one transaction Bundle per patient and an NDJSON bulk export.

The FHIR import (`app/records/fhir.py`) is then exercised on the same patients as the CSV import
(`app/records/synthea.py`); both must give the same medication, allergy and problem lists.

    python -m eval.synthea_fhir --synthea ../shared/data/synthea --out /tmp/synthea-fhir
    clinqa records import /tmp/synthea-fhir/ndjson        # or /tmp/synthea-fhir/bundles

Patients become Patient, medications MedicationRequest (status stopped when the row has a STOP date, the
RxNorm code and description in medicationCodeableConcept, the reason in reasonCode), conditions Condition
(abatementDateTime from STOP), allergies AllergyIntolerance (clinicalStatus inactive when stopped),
encounters Encounter, imaging studies ImagingStudy (one a row). Other tables (immunizations, care plans,
devices, ...) are not converted.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.records.fhir import RXNORM_SYSTEM, SNOMED_SYSTEM

Json = dict[str, Any]
CLINICAL = "http://terminology.hl7.org/CodeSystem/"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield {k: (v or "").strip() for k, v in row.items() if k is not None}


def _id(table: str, row: dict[str, str], n: int) -> str:
    return hashlib.sha1(f"{table}:{n}:{sorted(row.items())!r}".encode()).hexdigest()[:32]


def _concept(system: str, code: str, text: str) -> Json:
    out: Json = {"coding": [{"system": system, "code": code, "display": text}] if code else [], "text": text}
    return {k: v for k, v in out.items() if v}


def _status(system: str, code: str) -> Json:
    return {"coding": [{"system": f"{CLINICAL}{system}", "code": code}]}


def patient(row: dict[str, str]) -> Json:
    out: Json = {
        "resourceType": "Patient", "id": row["Id"],
        "name": [{"use": "official", "family": row.get("LAST", ""), "given": [row.get("FIRST", "")]}],
        "gender": {"F": "female", "M": "male"}.get(row.get("GENDER", ""), "unknown"),
        "birthDate": row["BIRTHDATE"],
        "address": [{"city": row.get("CITY", ""), "state": row.get("STATE", "")}],
    }
    if row.get("DEATHDATE"):
        out["deceasedDateTime"] = row["DEATHDATE"]
    return out


def convert_row(table: str, row: dict[str, str], n: int, subject: Json) -> Json | None:
    rid = _id(table, row, n)
    if table == "medications":
        out: Json = {
            "resourceType": "MedicationRequest", "id": rid, "status": "stopped" if row.get("STOP") else "active",
            "intent": "order", "subject": subject,
            "medicationCodeableConcept": _concept(RXNORM_SYSTEM, row.get("CODE", ""), row["DESCRIPTION"]),
            "authoredOn": row["START"],
        }
        if row.get("REASONDESCRIPTION"):
            out["reasonCode"] = [_concept(SNOMED_SYSTEM, row.get("REASONCODE", ""), row["REASONDESCRIPTION"])]
        return out
    if table == "conditions":
        out = {
            "resourceType": "Condition", "id": rid,
            "clinicalStatus": _status("condition-clinical", "resolved" if row.get("STOP") else "active"),
            "verificationStatus": _status("condition-ver-status", "confirmed"),
            "code": _concept(SNOMED_SYSTEM, row.get("CODE", ""), row["DESCRIPTION"]),
            "subject": subject, "onsetDateTime": row["START"],
        }
        if row.get("STOP"):
            out["abatementDateTime"] = row["STOP"]
        return out
    if table == "allergies":
        out = {
            "resourceType": "AllergyIntolerance", "id": rid,
            "clinicalStatus": _status("allergyintolerance-clinical", "inactive" if row.get("STOP") else "active"),
            "verificationStatus": _status("allergyintolerance-verification", "confirmed"),
            "code": _concept(SNOMED_SYSTEM, row.get("CODE", ""), row["DESCRIPTION"]),
            "patient": subject, "recordedDate": row["START"],
        }
        reactions = [{"manifestation": [{"text": row[k]}]} for k in ("DESCRIPTION1", "DESCRIPTION2") if row.get(k)]
        if reactions:
            out["reaction"] = reactions
        return out
    if table == "encounters":
        out = {
            "resourceType": "Encounter", "id": row.get("Id") or rid, "status": "finished",
            "class": {"system": f"{CLINICAL}v3-ActCode", "code": row.get("ENCOUNTERCLASS") or "AMB"},
            "type": [_concept(SNOMED_SYSTEM, row.get("CODE", ""), row.get("DESCRIPTION", ""))],
            "subject": subject, "period": {"start": row["START"], **({"end": row["STOP"]} if row.get("STOP") else {})},
        }
        if row.get("REASONDESCRIPTION"):
            out["reasonCode"] = [_concept(SNOMED_SYSTEM, row.get("REASONCODE", ""), row["REASONDESCRIPTION"])]
        return out
    if table == "imaging_studies":
        return {
            "resourceType": "ImagingStudy", "id": row.get("Id") or rid, "status": "available", "subject": subject,
            "started": row["DATE"],
            "series": [{
                "uid": row.get("SERIES_UID") or rid,
                "modality": {"system": "http://dicom.nema.org/resources/ontology/DCM",
                             "code": row.get("MODALITY_CODE", ""), "display": row.get("MODALITY_DESCRIPTION", "")},
                "bodySite": {"system": SNOMED_SYSTEM, "code": row.get("BODYSITE_CODE", ""),
                             "display": row.get("BODYSITE_DESCRIPTION", "")},
                "instance": [{"uid": row.get("INSTANCE_UID") or rid,
                              "sopClass": {"system": "urn:ietf:rfc:3986", "code": f"urn:oid:{row.get('SOP_CODE', '')}",
                                           "display": row.get("SOP_DESCRIPTION", "")}}],
            }],
        }
    return None


TABLES = ("medications", "conditions", "allergies", "encounters", "imaging_studies")


def convert(synthea: Path, out: Path) -> dict[str, int]:
    """Write out/bundles/<patient>.json and out/ndjson/<ResourceType>.ndjson; resources per type."""
    bundles: dict[str, list[Json]] = defaultdict(list)  # patient -> entries (urn:uuid references)
    ndjson: dict[str, list[Json]] = defaultdict(list)  # type -> resources ("Patient/id" references)
    for row in _rows(synthea / "patients.csv"):
        res = patient(row)
        bundles[row["Id"]].append(res)
        ndjson["Patient"].append(res)
    for table in TABLES:
        for n, row in enumerate(_rows(synthea / f"{table}.csv")):
            pid = row["PATIENT"]
            converted = convert_row(table, row, n, {"reference": f"urn:uuid:{pid}"})
            if converted is None:
                continue
            bundles[pid].append(converted)
            ndjson[converted["resourceType"]].append({**converted, ("patient" if "patient" in converted else "subject"):
                                                      {"reference": f"Patient/{pid}"}})
    (out / "bundles").mkdir(parents=True, exist_ok=True)
    (out / "ndjson").mkdir(parents=True, exist_ok=True)
    for pid, resources in bundles.items():
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"fullUrl": f"urn:uuid:{r['id']}", "resource": r,
             "request": {"method": "POST", "url": r["resourceType"]}} for r in resources]}
        (out / "bundles" / f"{pid}.json").write_text(json.dumps(bundle, indent=1), encoding="utf-8")
    for rtype, resources in ndjson.items():
        with (out / "ndjson" / f"{rtype}.ndjson").open("w", encoding="utf-8") as fh:
            for r in resources:
                fh.write(json.dumps(r, separators=(",", ":")) + "\n")
    return {t: len(rs) for t, rs in sorted(ndjson.items())}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--synthea", type=Path, required=True, help="a Synthea CSV export directory")
    parser.add_argument("--out", type=Path, required=True, help="writes bundles/ and ndjson/ here")
    args = parser.parse_args(argv)
    counts = convert(args.synthea, args.out)
    print(f"wrote {sum(counts.values())} resources ({', '.join(f'{t} {n}' for t, n in counts.items())}) "
          f"to {args.out}/bundles and {args.out}/ndjson")


if __name__ == "__main__":
    main()
