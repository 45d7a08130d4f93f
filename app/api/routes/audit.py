"""GET /v1/admin/audit (admin scope): the record-access log, as JSON or as FHIR AuditEvent resources."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.api.auth import AdminPrincipal
from app.api.deps import ComponentsDep
from app.api.schemas import Offset
from app.errors import InvalidInputError
from app.services.access_log import MAX_AUDIT_LIMIT, audit_bundle

router = APIRouter(prefix="/v1/admin", tags=["admin"])

FHIR_JSON = "application/fhir+json"


class AuditFormat(StrEnum):
    JSON = "json"
    FHIR = "fhir"


class AccessOut(BaseModel):
    id: int
    at: str
    key_id: str | None
    subject: str | None = None  # the end user, when an OpenID Connect token was used
    request_id: str | None
    client_request_id: str | None
    action: str  # chat | conversation | get | list | search
    patient_id: str
    record_ids: list[str]


class AuditPage(BaseModel):
    entries: list[AccessOut]
    total: int
    limit: int
    offset: int


@router.get("/audit", response_model=AuditPage,
            responses={200: {"content": {FHIR_JSON: {}}, "description": "with ?format=fhir: a searchset Bundle "
                                                                          "of FHIR R4 AuditEvent resources"}})
def audit(
    c: ComponentsDep,
    principal: AdminPrincipal,
    patient_id: Annotated[str | None, Query(max_length=128, description="only this patient's")] = None,
    key_id: Annotated[str | None, Query(max_length=32, description="only reads with this API key")] = None,
    subject: Annotated[str | None, Query(max_length=255, description="only reads by this end user (an OpenID "
                                                                     "Connect token's sub)")] = None,
    action: Annotated[str | None, Query(max_length=40, description="chat, conversation, get, list, search")] = None,
    since: Annotated[datetime | None, Query(description="from this time (ISO 8601, inclusive)")] = None,
    until: Annotated[datetime | None, Query(description="before this time (ISO 8601, exclusive)")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_AUDIT_LIMIT, description="at most this many")] = 100,
    offset: Offset = 0,
    fmt: Annotated[AuditFormat, Query(
        alias="format", description="json, or fhir: AuditEvent resources (IHE Basic Audit Log Patterns)",
    )] = AuditFormat.JSON,
) -> Any:
    """Who read which patient's records, when, in which request: oldest first, filtered, a page at a time
    (`total` counts every matching row). A caller limited to some patients may not read it (403): the log
    names every patient."""
    principal.require_all_patients("read the audit log")
    if since is not None and until is not None and since >= until:
        raise InvalidInputError("since must be before until")
    page = c.access_log.query(patient_id=patient_id, key_id=key_id, subject=subject, action=action, since=since,
                              until=until, limit=limit, offset=offset)
    if fmt is AuditFormat.FHIR:
        return JSONResponse(audit_bundle(page), media_type=FHIR_JSON)
    return AuditPage(entries=[AccessOut(**e.to_dict()) for e in page.entries], total=page.total, limit=page.limit,
                     offset=page.offset)
