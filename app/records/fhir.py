"""Turn HL7 FHIR R4 resources into patients and dated records.

Read: Bundles (transaction, batch, collection, searchset, document: each entry's resource), NDJSON bulk
export files (one resource a line, as FHIR Bulk Data writes them per resource type), single-resource JSON
files, and folders of them. Every resource is validated against the `fhir.resources` R4B model of its type
(R4B reads R4 medication resources); a resource that does not validate, a line that is not JSON, a
reference to a missing patient or medication is reported as an issue naming the file and the position
(`file:line` for NDJSON, `file: entry N` for a Bundle) and the import goes on without it. `pull_fhir` reads
the same from a FHIR server (`Patient/<id>/$everything` or searches, a bearer token, `next` pages on the same
server only), positions then being `URL page N: entry M`.

Each resource becomes one dated record:

| resource | kind | date |
|---|---|---|
| MedicationRequest, MedicationStatement | medication | authoredOn / effective start / dateAsserted |
| AllergyIntolerance | allergy | onset / recordedDate |
| Condition | condition | onset / recordedDate |
| Encounter | encounter | period start |
| ImagingStudy | imaging_study (a region per body site) | started |
| Observation | lab (vital_sign for vital signs) | effective / issued |
| DiagnosticReport | radiology_report (imaging) or diagnostic_report | effective / issued |
| DocumentReference (inline text) | clinical_note | context period start / date |

and per patient the summaries the MAG stages read, built as `app.records.synthea` builds them (so the same
patient gives the same lists from either format): `medication_list` (requests active, statements active
without an end), `allergy_list` (clinically active), `problem_list` (active, recurrent or relapsed), dated at
the patient's latest record; plus `key_labs`, the latest renal function (eGFR, creatinine), INR, potassium
and weight results. Medications are named from their code's text or display, from a contained or
referenced Medication, or, coded only by RxNorm, from `rxnorm_names` when given ("RxNorm <code>" otherwise).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from pydantic import ValidationError

from app.records.model import Record
from app.records.schema import PatientIn
from app.records.synthea import _summaries
from app.text_input import unstorable

RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"
LOINC_SYSTEM = "http://loinc.org"
SNOMED_SYSTEM = "http://snomed.info/sct"

# Resource types read; others that FHIR knows (Claim, Immunization, ...) are counted and skipped.
READ_TYPES = frozenset({
    "Patient", "Medication", "MedicationRequest", "MedicationStatement", "AllergyIntolerance", "Condition",
    "Encounter", "Observation", "DiagnosticReport", "DocumentReference", "ImagingStudy",
})
# LOINC codes of the results a medication question may depend on: renal function, INR, potassium, weight.
KEY_LABS: dict[str, str] = {
    **dict.fromkeys(("33914-3", "48642-3", "48643-1", "62238-1", "69405-9", "98979-8", "50044-7"), "eGFR"),
    **dict.fromkeys(("2160-0", "38483-4", "14682-9"), "Creatinine"),
    **dict.fromkeys(("6301-6", "34714-6", "38875-1"), "INR"),
    **dict.fromkeys(("2823-3", "6298-4", "77142-8"), "Potassium"),
    **dict.fromkeys(("29463-7", "3141-9", "8341-0"), "Body weight"),
}
KEY_LAB_ORDER = ("eGFR", "Creatinine", "INR", "Potassium", "Body weight")
PATIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")  # app.records.schema.PatientId
# Pages of a search or $everything Bundle followed at most, per URL pulled from a server.
MAX_PAGES = 1000
CURRENT_REQUEST = frozenset({"active", "on-hold", "draft"})
CURRENT_STATEMENT = frozenset({"active", "intended", "unknown", "on-hold"})
ACTIVE_CONDITION = frozenset({"active", "recurrence", "relapse"})
TEXT_TYPES = ("text/plain", "text/markdown", "text/html", "text/")

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Issue:
    """A resource (or line) that was not imported, where it was, and why."""

    where: str  # "path:line" or "path: entry N"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class FhirImport:
    patients: list[PatientIn] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    resources: int = 0  # resources read (valid or not)
    read: Counter[str] = field(default_factory=Counter)  # resource type -> imported
    skipped: Counter[str] = field(default_factory=Counter)  # resource type FHIR knows but clinqa does not read
    duplicates: int = 0  # resources read again under the same type and id (the later copy is kept)
    rxnorm: dict[str, list[str]] = field(default_factory=dict)  # patient -> RxNorm codes of current medications

    def counts(self) -> dict[str, int]:
        return dict(Counter(r.kind for r in self.records))


@dataclass(frozen=True, slots=True)
class _Resource:
    data: Json
    where: str
    full_url: str | None = None


# --- reading files -------------------------------------------------------------------------------------


def fhir_files(path: Path) -> list[Path]:
    """The file itself, or the *.json and *.ndjson files under a directory (recursively, sorted)."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".json", ".ndjson"))
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file or directory")
    return [path]


def _entries(data: Any, where: str, issues: list[Issue]) -> Iterator[_Resource]:
    if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
        issues.append(Issue(where, "not a FHIR resource (no resourceType)"))
        return
    if data["resourceType"] != "Bundle":
        yield _Resource(data, where)
        return
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        issues.append(Issue(where, "Bundle.entry is not a list"))
        return
    for i, entry in enumerate(entries):
        at = f"{where}: entry {i}"
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            if not (isinstance(entry, dict) and "request" in entry and entry.get("request", {}).get("method")
                    == "DELETE"):
                issues.append(Issue(at, "entry has no resource"))
            continue
        search = entry.get("search")
        if isinstance(search, dict) and search.get("mode") == "outcome":
            continue  # a searchset's OperationOutcome
        full_url = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
        resource = entry["resource"]
        if resource.get("resourceType") == "Bundle":
            yield from _entries(resource, at, issues)
        else:
            yield _Resource(resource, at, full_url)


def read_resources(path: Path, issues: list[Issue]) -> Iterator[_Resource]:
    """Every resource under `path` with its position; unreadable files and lines go to `issues`."""
    for file in fhir_files(path):
        if file.suffix.lower() == ".ndjson":
            with file.open(encoding="utf-8", errors="replace") as fh:
                for line_no, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        data = json.loads(line)
                    except json.JSONDecodeError as exc:
                        issues.append(Issue(f"{file}:{line_no}", f"not valid JSON ({exc.msg})"))
                        continue
                    yield from _entries(data, f"{file}:{line_no}", issues)
            continue
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            issues.append(Issue(str(file), f"not valid JSON ({exc})"))
            continue
        yield from _entries(data, str(file), issues)


# --- validation ----------------------------------------------------------------------------------------


def _model(resource_type: str) -> Any:
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "resource"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    more = len(exc.errors()) - 5
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def validate(resource: Json) -> str | None:
    """None when `resource` is a valid R4 resource of its type, else why not."""
    try:
        _model(str(resource.get("resourceType"))).model_validate(resource)
    except ValidationError as exc:
        return _describe(exc)
    except (ValueError, TypeError) as exc:
        return str(exc)
    return None


def known_type(resource_type: str) -> bool:
    try:
        _model(resource_type)
    except (ValueError, KeyError):
        return False
    return True


# --- values --------------------------------------------------------------------------------------------


def _day(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) < 4:
        return None
    text = value.strip()
    if len(text) == 4:
        text += "-01-01"
    elif len(text) == 7:
        text += "-01"
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def _first_day(data: Json, *paths: str) -> str | None:
    for path in paths:
        value: Any = data
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        day = _day(value)
        if day:
            return day
    return None


def concept_text(concept: Any) -> str:
    """A CodeableConcept's words: its text, else its first coding's display."""
    if not isinstance(concept, dict):
        return ""
    if isinstance(concept.get("text"), str) and concept["text"].strip():
        return str(concept["text"]).strip()
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and isinstance(coding.get("display"), str) and coding["display"].strip():
            return str(coding["display"]).strip()
    return ""


def codes(concept: Any, system: str) -> list[str]:
    if not isinstance(concept, dict):
        return []
    return [str(c["code"]) for c in concept.get("coding") or []
            if isinstance(c, dict) and c.get("system") == system and c.get("code")]


def _status(concept: Any) -> str:
    """The code of a status CodeableConcept (clinicalStatus, verificationStatus)."""
    if isinstance(concept, dict):
        for coding in concept.get("coding") or []:
            if isinstance(coding, dict) and coding.get("code"):
                return str(coding["code"])
    return ""


def _quantity(obs: Json) -> str:
    if isinstance(obs.get("valueQuantity"), dict):
        q = obs["valueQuantity"]
        value = q.get("value")
        unit = q.get("unit") or q.get("code") or ""
        comparator = q.get("comparator") or ""
        return f"{comparator}{value} {unit}".strip() if value is not None else ""
    if obs.get("valueString"):
        return str(obs["valueString"])
    if obs.get("valueCodeableConcept"):
        return concept_text(obs["valueCodeableConcept"])
    for key in ("valueBoolean", "valueInteger"):
        if key in obs:
            return str(obs[key])
    return ""


def attachment_text(attachment: Any) -> str:
    """The text of an inline text attachment (base64 `data`), HTML reduced to its words; '' otherwise."""
    if not isinstance(attachment, dict) or not attachment.get("data"):
        return ""
    content_type = str(attachment.get("contentType") or "text/plain").lower()
    if not content_type.startswith("text/"):
        return ""
    try:
        text = base64.b64decode(str(attachment["data"]), validate=False).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return ""
    if "html" in content_type:
        text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"[ \t]+", " ", text.replace("\x00", "")).strip()


def _ref_key(value: Any) -> str | None:
    """A reference's lookup key: "Type/id" (relative or absolute URL), a fullUrl urn, or "#contained"."""
    if isinstance(value, dict):
        value = value.get("reference")
    if not isinstance(value, str) or not value:
        return None
    reference: str = value.split("/_history/")[0]
    if reference.startswith(("urn:uuid:", "urn:oid:", "#")):
        return reference
    parts = reference.rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else reference


# --- conversion ----------------------------------------------------------------------------------------


@dataclass
class _Patient:
    latest: str = ""
    current: dict[str, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))
    key_labs: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # label -> (day, value, name)
    rxnorm: list[str] = field(default_factory=list)


class _Converter:
    def __init__(self, rxnorm_names: Callable[[str], str | None] | None) -> None:
        self.rxnorm_names = rxnorm_names
        self.by_key: dict[str, Json] = {}  # "Type/id" and fullUrl -> resource
        self.patient_ids: dict[str, str] = {}  # "Patient/id" and fullUrl -> patient id
        self.patients: dict[str, _Patient] = defaultdict(_Patient)
        self.seen_ids: Counter[str] = Counter()

    def index(self, res: _Resource) -> None:
        data = res.data
        keys = [f"{data['resourceType']}/{data['id']}"] if data.get("id") else []
        if res.full_url:
            keys.append(res.full_url)
            if "/" in res.full_url and not res.full_url.startswith("urn:"):
                keys.append(_ref_key(res.full_url) or res.full_url)
        for key in keys:
            self.by_key[key] = data
            if data["resourceType"] == "Patient" and data.get("id"):
                self.patient_ids[key] = str(data["id"])

    def patient_of(self, data: Json) -> str | None:
        ref = data.get("subject") or data.get("patient")
        key = _ref_key(ref)
        if key is None:
            return None
        if key in self.patient_ids:
            return self.patient_ids[key]
        if key.startswith("Patient/"):
            return key.split("/", 1)[1]
        if key.startswith("urn:uuid:"):
            return key.removeprefix("urn:uuid:")
        return None

    def _record_id(self, data: Json, kind: str) -> str:
        rid = str(data["id"]) if data.get("id") else hashlib.sha1(
            json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
        base = f"fhir-{kind}-{rid}"[:120]
        self.seen_ids[base] += 1
        return base if self.seen_ids[base] == 1 else f"{base}-{self.seen_ids[base]}"

    def medication_name(self, data: Json) -> tuple[str, list[str]] | None:
        """The medicine's words and RxNorm codes, from the code, a contained or a referenced Medication."""
        concept = data.get("medicationCodeableConcept")
        if concept is None and data.get("medicationReference") is not None:
            key = _ref_key(data["medicationReference"])
            med: Json | None = None
            if key and key.startswith("#"):
                med = next((c for c in data.get("contained") or []
                            if isinstance(c, dict) and c.get("id") == key[1:]), None)
            elif key:
                med = self.by_key.get(key)
            if med is None:
                display = data["medicationReference"].get("display")
                return (str(display), []) if display else None
            concept = med.get("code")
        if concept is None:
            return None
        rx = codes(concept, RXNORM_SYSTEM)
        name = concept_text(concept)
        if not name and rx and self.rxnorm_names is not None:
            name = next((n for n in map(self.rxnorm_names, rx) if n), "")
        if not name:
            name = f"RxNorm {rx[0]}" if rx else "unnamed medication"
        return name, rx

    def reason(self, data: Json) -> str:
        for concept in data.get("reasonCode") or []:
            if concept_text(concept):
                return concept_text(concept)
        for ref in data.get("reasonReference") or []:
            target = self.by_key.get(_ref_key(ref) or "")
            if target is not None and concept_text(target.get("code")):
                return concept_text(target.get("code"))
            if isinstance(ref, dict) and ref.get("display"):
                return str(ref["display"])
        return ""

    def convert(self, res: _Resource, pid: str) -> Record | str | None:
        """The record of one resource, None for a resource that makes none, or why it cannot be read."""
        data, rtype = res.data, str(res.data["resourceType"])
        p = self.patients[pid]
        if rtype in ("MedicationRequest", "MedicationStatement"):
            status = str(data.get("status", ""))
            if status == "entered-in-error":
                return None
            named = self.medication_name(data)
            if named is None:
                return "no medication (medicationCodeableConcept or a resolvable medicationReference)"
            name, rx = named
            start = _first_day(data, "authoredOn", "effectivePeriod.start", "effectiveDateTime", "dateAsserted")
            if start is None:
                return "no date (authoredOn, effective[x] or dateAsserted)"
            end = _first_day(data, "effectivePeriod.end")
            if rtype == "MedicationRequest":
                current = status in CURRENT_REQUEST
            else:
                current = status in CURRENT_STATEMENT and end is None
            reason = self.reason(data)
            if current:
                p.current["medications"].append({"DESCRIPTION": name, "START": start, "REASONDESCRIPTION": reason})
                p.rxnorm.extend(c for c in rx if c not in p.rxnorm)
            state = "still taken" if current else (f"stopped {end}" if end else status or "not current")
            coded = f" (RxNorm {', '.join(rx)})" if rx and not name.startswith("RxNorm ") else ""
            why = f" Reason: {reason}." if reason else ""
            return self._record(data, pid, "medication", start,
                                f"Medication: {name}{coded}. Started {start}; {state} ({rtype} {status}).{why}")
        if rtype == "AllergyIntolerance":
            if _status(data.get("verificationStatus")) in ("entered-in-error", "refuted"):
                return None
            name = concept_text(data.get("code")) or "unnamed allergy"
            start = _first_day(data, "onsetDateTime", "onsetPeriod.start", "recordedDate")
            if start is None:
                return "no date (onset[x] or recordedDate)"
            clinical = _status(data.get("clinicalStatus")) or "active"
            if clinical == "active":
                p.current["allergies"].append({"DESCRIPTION": name, "START": start})
            reactions = [concept_text(m) for r in data.get("reaction") or [] if isinstance(r, dict)
                         for m in r.get("manifestation") or []]
            reaction = f" Reactions: {', '.join(r for r in reactions if r)}." if any(reactions) else ""
            return self._record(data, pid, "allergy", start,
                                f"Allergy: {name}{self._sct(data)}. Recorded {start}; {clinical}.{reaction}")
        if rtype == "Condition":
            if _status(data.get("verificationStatus")) in ("entered-in-error", "refuted"):
                return None
            name = concept_text(data.get("code")) or "unnamed condition"
            start = _first_day(data, "onsetDateTime", "onsetPeriod.start", "recordedDate")
            if start is None:
                return "no date (onset[x] or recordedDate)"
            end = _first_day(data, "abatementDateTime", "abatementPeriod.end")
            clinical = _status(data.get("clinicalStatus")) or ("resolved" if end else "active")
            if clinical in ACTIVE_CONDITION:
                p.current["conditions"].append({"DESCRIPTION": name, "START": start})
            state = f"resolved {end}" if end and clinical not in ACTIVE_CONDITION else clinical
            return self._record(data, pid, "condition", start,
                                f"Condition: {name}{self._sct(data)}. Onset {start}; {state}.")
        if rtype == "Encounter":
            start = _first_day(data, "period.start")
            if start is None:
                return "no date (period.start)"
            klass = data.get("class", {}).get("code", "") if isinstance(data.get("class"), dict) else ""
            what = next((concept_text(t) for t in data.get("type") or [] if concept_text(t)), "encounter")
            reason = self.reason(data)
            why = f" Reason: {reason}." if reason else ""
            return self._record(data, pid, "encounter", start, f"Encounter ({klass}): {what}.{why}")
        if rtype == "Observation":
            if data.get("status") in ("entered-in-error", "cancelled"):
                return None
            name = concept_text(data.get("code")) or "unnamed observation"
            day = _first_day(data, "effectiveDateTime", "effectivePeriod.start", "effectiveInstant", "issued")
            if day is None:
                return "no date (effective[x] or issued)"
            value = _quantity(data)
            parts = [f"{concept_text(c.get('code'))} {_quantity(c)}".strip()
                     for c in data.get("component") or [] if isinstance(c, dict)]
            value = "; ".join(v for v in [value, *parts] if v) or "no value"
            interp = next((concept_text(i) for i in data.get("interpretation") or [] if concept_text(i)), "")
            flag = f" ({interp})" if interp else ""
            for code in codes(data.get("code"), LOINC_SYSTEM):
                label = KEY_LABS.get(code)
                if label and value != "no value" and day >= p.key_labs.get(label, ("",))[0]:
                    p.key_labs[label] = (day, value + flag, name)
                    break
            categories = {c for cat in data.get("category") or [] for c in codes(cat, (
                "http://terminology.hl7.org/CodeSystem/observation-category"))}
            kind = "vital_sign" if "vital-signs" in categories else "lab"
            return self._record(data, pid, kind, day, f"{name}: {value}{flag} ({day}).")
        if rtype == "DiagnosticReport":
            day = _first_day(data, "effectiveDateTime", "effectivePeriod.start", "issued")
            if day is None:
                return "no date (effective[x] or issued)"
            texts = [str(data["conclusion"]).strip()] if data.get("conclusion") else []
            texts += [t for t in map(attachment_text, data.get("presentedForm") or []) if t and t not in texts]
            if not texts:
                return "no text (conclusion or an inline text presentedForm)"
            cats = {c for cat in data.get("category") or [] for cs in ("http://terminology.hl7.org/CodeSystem/v2-0074",
                    LOINC_SYSTEM) for c in codes(cat, cs)}
            kind = "radiology_report" if cats & {"RAD", "LP29684-5", "CT", "MR", "US", "NMR"} else "diagnostic_report"
            title = concept_text(data.get("code")) or "Report"
            return self._record(data, pid, kind, day, f"{title}:\n" + "\n".join(texts))
        if rtype == "ImagingStudy":
            day = _first_day(data, "started")
            if day is None:
                return "no date (started)"
            lines, regions = [], {}
            for series in data.get("series") or []:
                modality = concept_text({"coding": [series.get("modality") or {}]})
                site = concept_text({"coding": [series.get("bodySite") or {}]})
                sops = [concept_text({"coding": [i.get("sopClass") or {}]}) for i in series.get("instance") or []]
                line = f"Imaging study: {modality} of {site} ({', '.join(dict.fromkeys(s for s in sops if s))})."
                lines.append(line)
                if site:
                    regions[site.lower()] = line
            if not lines:
                return "no series"
            record = self._record(data, pid, "imaging_study", day, "\n".join(lines))
            return replace(record, regions=regions)
        if rtype == "DocumentReference":
            if data.get("status") == "entered-in-error":
                return None
            day = _first_day(data, "context.period.start", "date")
            if day is None:
                return "no date (context.period.start or date)"
            texts = [t for c in data.get("content") or [] if isinstance(c, dict)
                     for t in [attachment_text(c.get("attachment"))] if t]
            if not texts:
                return "no inline text attachment (url attachments are not fetched)"
            title = concept_text(data.get("type")) or str(data.get("description") or "Clinical note")
            return self._record(data, pid, "clinical_note", day, f"{title}:\n" + "\n\n".join(texts))
        return None

    def _sct(self, data: Json) -> str:
        sct = codes(data.get("code"), SNOMED_SYSTEM)
        return f" (SNOMED {sct[0]})" if sct else ""

    def _record(self, data: Json, pid: str, kind: str, day: str, text: str) -> Record:
        p = self.patients[pid]
        p.latest = max(p.latest, day)
        return Record(pid, self._record_id(data, kind), day, kind, text[:100_000])


def _patient_in(data: Json) -> PatientIn:
    name = ""
    for n in data.get("name") or []:
        if isinstance(n, dict):
            name = n.get("text") or " ".join([*(n.get("given") or []), n.get("family") or ""])
            name = re.sub(r"\d+", "", str(name)).strip()
            if name:
                break
    sex = {"female": "F", "male": "M"}.get(str(data.get("gender")), data.get("gender"))
    demographics: dict[str, Any] = {}
    if data.get("deceasedDateTime"):
        demographics["deathdate"] = _day(data["deceasedDateTime"])
    address = next((a for a in data.get("address") or [] if isinstance(a, dict)), {})
    for key in ("city", "state"):
        if address.get(key):
            demographics[key] = address[key]
    return PatientIn(patient_id=str(data["id"]), name=" ".join(name.split()) or None,
                     birth_date=_day(data.get("birthDate")), sex=sex, demographics=demographics)


def _key_labs(pid: str, day: str, labs: dict[str, tuple[str, str, str]]) -> Record:
    lines = [f"- {label}: {labs[label][1]} ({labs[label][0]}; {labs[label][2]})"
             for label in KEY_LAB_ORDER if label in labs]
    return Record(pid, "fhir-key_labs", day, "key_labs", f"Latest key results as of {day}:\n" + "\n".join(lines))


def read_fhir(path: Path, rxnorm_names: Callable[[str], str | None] | None = None) -> FhirImport:
    """Patients and records of the FHIR files under `path`; what cannot be read is in `.issues`."""
    out = FhirImport()
    return _import(read_resources(path, out.issues), out, rxnorm_names)


def _same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def pull_resources(
    urls: Iterable[str], issues: list[Issue], token: str | None = None, *, client: httpx.Client | None = None,
    max_pages: int = MAX_PAGES, timeout_s: float = 60.0,
) -> Iterator[_Resource]:
    """The resources a FHIR server answers to each URL (`Patient/<id>/$everything`, a search, one resource),
    following the Bundles' `next` links on the same server only (the bearer token goes nowhere else), at most
    `max_pages` pages a URL. An answer that is not a FHIR resource, or an HTTP error, is an issue."""
    headers = {"Accept": "application/fhir+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    own = client or httpx.Client(timeout=timeout_s, follow_redirects=False)
    try:
        for start in urls:
            url: str | None = start
            for page in range(1, max_pages + 1):
                if url is None:
                    break
                where = f"{start} page {page}"
                try:
                    response = own.get(url, headers=headers)
                except httpx.HTTPError as exc:
                    issues.append(Issue(where, f"request failed ({exc})"))
                    break
                if response.status_code != 200:
                    issues.append(Issue(where, f"HTTP {response.status_code} {response.text[:200]!r}"))
                    break
                try:
                    data = response.json()
                except ValueError:
                    issues.append(Issue(where, "not valid JSON"))
                    break
                yield from _entries(data, where, issues)
                url = None
                for link in data.get("link") or [] if isinstance(data, dict) else []:
                    if isinstance(link, dict) and link.get("relation") == "next" and link.get("url"):
                        nxt = urljoin(start, str(link["url"]))
                        if _same_origin(nxt, start):
                            url = nxt
                        else:
                            issues.append(Issue(where, f"next page on another server not followed: {nxt}"))
            else:
                if url is not None:
                    issues.append(Issue(start, f"stopped after {max_pages} pages"))
    finally:
        if client is None:
            own.close()


def pull_fhir(
    urls: Iterable[str], token: str | None = None, rxnorm_names: Callable[[str], str | None] | None = None,
    *, client: httpx.Client | None = None, max_pages: int = MAX_PAGES,
) -> FhirImport:
    """Patients and records from a FHIR server (see `pull_resources`); problems are in `.issues`."""
    out = FhirImport()
    return _import(pull_resources(urls, out.issues, token, client=client, max_pages=max_pages), out, rxnorm_names)


def _import(
    source: Iterable[_Resource], out: FhirImport, rxnorm_names: Callable[[str], str | None] | None,
) -> FhirImport:
    conv = _Converter(rxnorm_names)
    resources: list[_Resource] = []
    positions: dict[tuple[str, str], int] = {}  # (type, id) -> index in resources
    for res in source:
        out.resources += 1
        rtype = str(res.data["resourceType"])
        if rtype not in READ_TYPES:
            if known_type(rtype):
                out.skipped[rtype] += 1
            else:
                out.issues.append(Issue(res.where, f"unknown resource type {rtype!r}"))
            continue
        problem = validate(res.data)
        if problem is not None:
            out.issues.append(Issue(res.where, f"invalid {rtype}: {problem}"))
            continue
        conv.index(res)
        key = (rtype, str(res.data["id"])) if res.data.get("id") else None
        if key is not None and key in positions:  # the same resource again (a folder holding two exports of it)
            resources[positions[key]] = res  # the later copy wins, as an update would
            out.duplicates += 1
            continue
        if key is not None:
            positions[key] = len(resources)
        resources.append(res)
    patients: dict[str, PatientIn] = {}
    for res in resources:  # Medication and Patient were indexed above; every reference can now be resolved
        rtype = str(res.data["resourceType"])
        if rtype == "Medication":
            out.read[rtype] += 1
            continue
        if rtype == "Patient":
            try:
                patients[str(res.data["id"])] = _patient_in(res.data)
            except (ValidationError, KeyError) as exc:
                out.issues.append(Issue(res.where, f"Patient not usable: {exc}"))
                continue
            out.read[rtype] += 1
            continue
        pid = conv.patient_of(res.data)
        if pid is None:
            out.issues.append(Issue(res.where, f"{rtype} has no resolvable subject/patient reference"))
            continue
        if not PATIENT_ID.fullmatch(pid):
            out.issues.append(Issue(res.where, f"{rtype} skipped: patient id {pid[:80]!r} is not a clinqa patient "
                                               "id (letters, digits, '.', '_', ':', '-'; at most 128)"))
            continue
        result = conv.convert(res, pid)
        if isinstance(result, Record):
            problem = unstorable(result.text) or next(filter(None, map(unstorable, result.regions.values())), None)
            if problem:
                result = f"its text {problem}"
        if isinstance(result, str):
            out.issues.append(Issue(res.where, f"{rtype} skipped: {result}"))
            continue
        out.read[rtype] += 1
        if result is not None:
            out.records.append(result)
    out.patients = list(patients.values())
    for pid in [*patients, *sorted(set(conv.patients) - set(patients))]:
        p = conv.patients.get(pid)
        if p is None or not p.latest:
            continue
        for summary in _summaries(pid, p.latest, p.current):
            out.records.append(replace(summary, record_id=f"fhir-{summary.kind}"))
        if p.key_labs:
            out.records.append(_key_labs(pid, p.latest, p.key_labs))
        out.rxnorm[pid] = list(p.rxnorm)
    return out
