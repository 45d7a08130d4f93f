"""Who read which of a patient's records, when, in which request (the `record_access_log` table); the audit
query behind GET /v1/admin/audit, and the same rows as FHIR R4 AuditEvent resources (IHE Basic Audit Log
Patterns: a RESTful read or search of a patient's data, the patient and each record as entities)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from app.db import Database
from app.models import RecordAccess

# How many rows one audit query returns at most.
MAX_AUDIT_LIMIT = 1000

# BALP profiles by the kind of access: a read of known records, or a search/query within a patient's records.
BALP = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/"
PATIENT_READ = BALP + "IHE.BasicAudit.PatientRead"
PATIENT_QUERY = BALP + "IHE.BasicAudit.PatientQuery"
DCM = "http://dicom.nema.org/resources/ontology/DCM"
ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role"
# access log action -> (FHIR restful interaction, AuditEvent.action, query?)
ACTIONS: dict[str, tuple[str, str, bool]] = {
    "get": ("read", "R", False),
    "list": ("search-type", "E", True),
    "search": ("search-type", "E", True),
    "chat": ("read", "R", False),  # the records MAG put before the reader or read facts from
    "conversation": ("read", "R", False),  # a stored conversation's record citations shown again
}
KEY_SYSTEM = "urn:clinqa:api-key"
SUBJECT_SYSTEM = "urn:clinqa:oidc-subject"  # the end user's `sub` (the token's issuer is the configured one)
USER_AGENT_TYPE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                               "code": "IRCP", "display": "information recipient"}]}
REQUEST_ID_TYPE = {"system": "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType",
                   "code": "XrequestId", "display": "X-Request-Id"}


@dataclass(frozen=True, slots=True)
class AccessEntry:
    id: int
    at: datetime
    key_id: str | None
    request_id: str | None
    client_request_id: str | None
    action: str
    patient_id: str
    record_ids: tuple[str, ...]
    subject: str | None = None  # the end user of an OpenID Connect token

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": _utc(self.at).isoformat(), "key_id": self.key_id, "subject": self.subject,
                "request_id": self.request_id, "client_request_id": self.client_request_id,
                "action": self.action, "patient_id": self.patient_id, "record_ids": list(self.record_ids)}


@dataclass(frozen=True, slots=True)
class AccessPage:
    entries: list[AccessEntry]
    total: int  # rows matching the filters
    limit: int
    offset: int


def _utc(at: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were written in UTC."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


class AccessLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record_read(
        self, key_id: str | None, request_id: str | None, action: str, patient_id: str,
        record_ids: Sequence[str], client_request_id: str | None = None, subject: str | None = None,
    ) -> None:
        with self.db.session() as s:
            s.add(RecordAccess(key_id=key_id, request_id=request_id, client_request_id=client_request_id,
                               action=action, patient_id=patient_id, record_ids=list(record_ids), subject=subject))
            s.commit()

    def query(
        self, *, patient_id: str | None = None, key_id: str | None = None, subject: str | None = None,
        action: str | None = None, since: datetime | None = None, until: datetime | None = None,
        limit: int = 100, offset: int = 0,
    ) -> AccessPage:
        """Access rows matching every given filter (`since` inclusive, `until` exclusive), oldest first, a page
        of at most MAX_AUDIT_LIMIT."""
        if not 1 <= limit <= MAX_AUDIT_LIMIT:
            raise ValueError(f"limit must be 1..{MAX_AUDIT_LIMIT}")
        if offset < 0:
            raise ValueError("offset must be >= 0")
        conds: list[Any] = []
        if patient_id is not None:
            conds.append(RecordAccess.patient_id == patient_id)
        if key_id is not None:
            conds.append(RecordAccess.key_id == key_id)
        if subject is not None:
            conds.append(RecordAccess.subject == subject)
        if action is not None:
            conds.append(RecordAccess.action == action)
        if since is not None:
            conds.append(RecordAccess.at >= _utc(since))
        if until is not None:
            conds.append(RecordAccess.at < _utc(until))
        with self.db.session() as s:
            total = s.scalar(select(func.count()).select_from(RecordAccess).where(*conds)) or 0
            rows = s.scalars(select(RecordAccess).where(*conds).order_by(RecordAccess.id)
                             .limit(limit).offset(offset)).all()
            entries = [AccessEntry(r.id, _utc(r.at), r.key_id, r.request_id, r.client_request_id, r.action,
                                   r.patient_id, tuple(str(x) for x in r.record_ids or ()), r.subject)
                       for r in rows]
        return AccessPage(entries, int(total), limit, offset)


def _coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def audit_event(entry: AccessEntry, server: str = "clinqa") -> dict[str, Any]:
    """One access row as a FHIR R4 AuditEvent in the IHE BALP shape: the client (the API key) and the server
    as agents, and the end user when an OpenID Connect token was used; clinqa as the observer; the patient,
    each record read and the request id as entities."""
    interaction, action, query = ACTIONS.get(entry.action, ("read", "R", False))
    if entry.key_id:
        client_who: dict[str, Any] = {"identifier": {"system": KEY_SYSTEM, "value": entry.key_id}}
    elif entry.subject:
        client_who = {"display": "OpenID Connect client"}
    else:
        client_who = {"display": "anonymous (authentication disabled)"}
    client: dict[str, Any] = {
        "type": {"coding": [_coding(DCM, "110153", "Source Role ID")]},
        "who": client_who,
        "requestor": entry.subject is None,
    }
    users: list[dict[str, Any]] = []
    if entry.subject:
        users.append({"type": USER_AGENT_TYPE, "who": {"identifier": {"system": SUBJECT_SYSTEM,
                                                                      "value": entry.subject}},
                      "requestor": True})
    entities: list[dict[str, Any]] = [{
        "what": {"reference": f"Patient/{entry.patient_id}"},
        "type": _coding(ENTITY_TYPE, "1", "Person"),
        "role": _coding(OBJECT_ROLE, "1", "Patient"),
    }]
    for record_id in entry.record_ids:
        entities.append({
            "what": {"identifier": {"system": f"urn:clinqa:record:{entry.patient_id}", "value": record_id}},
            "type": _coding(ENTITY_TYPE, "2", "System Object"),
            "role": _coding(OBJECT_ROLE, "4", "Domain Resource"),
        })
    for request_id in (entry.request_id, entry.client_request_id):
        if request_id:
            entities.append({"what": {"identifier": {"value": request_id}}, "type": REQUEST_ID_TYPE})
    return {
        "resourceType": "AuditEvent",
        "id": f"clinqa-access-{entry.id}",
        "meta": {"profile": [PATIENT_QUERY if query else PATIENT_READ]},
        "type": _coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "Restful Operation"),
        "subtype": [_coding("http://hl7.org/fhir/restful-interaction", interaction, interaction)],
        "action": action,
        "recorded": _utc(entry.at).isoformat(),
        "outcome": "0",
        "outcomeDesc": f"clinqa {entry.action}",
        "agent": [client, *users, {
            "type": {"coding": [_coding(DCM, "110152", "Destination Role ID")]},
            "who": {"display": server},
            "requestor": False,
        }],
        "source": {
            "observer": {"display": server},
            "type": [_coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")],
        },
        "entity": entities,
    }


def audit_bundle(page: AccessPage, server: str = "clinqa") -> dict[str, Any]:
    """A page of the access log as a FHIR searchset Bundle of AuditEvents."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "entry": [{"fullUrl": f"urn:clinqa:audit:{e.id}", "resource": audit_event(e, server),
                   "search": {"mode": "match"}} for e in page.entries],
    }
