"""Patients and their historical records (the material of MedRecord-augmented generation)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, Response
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.api.auth import RecordsReadPrincipal, RecordsWritePrincipal, caller_of
from app.api.deps import ComponentsDep
from app.api.schemas import Limit, Offset
from app.errors import InvalidInputError, TooLargeError, UnavailableError
from app.records.schema import PatientIn, PatientOut, RecordHitOut, RecordIn, RecordOut, RecordsAdded
from app.records.service import RecordsComponents

router = APIRouter(prefix="/v1/patients", tags=["patients"])

MAX_RECORDS_PER_REQUEST = 1000
PatientIdPath = Annotated[str, Path(min_length=1, max_length=128)]
_RECORDS = TypeAdapter(list[RecordIn])


def _records(c: ComponentsDep) -> RecordsComponents:
    if c.records is None:
        raise UnavailableError("patient records are not configured on this server")
    return c.records


def _invalid(exc: ValidationError, prefix: str = "") -> InvalidInputError:
    errors = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in (prefix, *err.get("loc", ())) if p != "") or "body"
        errors.append({"field": loc, "message": err.get("msg", "invalid")})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:10])
    return InvalidInputError(detail, errors=errors)


def parse_records(body: Any, patient_id: str) -> list[RecordIn]:
    """One record object or a list of them; a record may repeat the patient_id of the URL."""
    items = body if isinstance(body, list) else [body]
    if not items:
        raise InvalidInputError("no records given")
    if len(items) > MAX_RECORDS_PER_REQUEST:
        raise TooLargeError(f"{len(items)} records; at most {MAX_RECORDS_PER_REQUEST} per request")
    cleaned = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            where = f"[{i}]" if isinstance(body, list) else "body"
            raise InvalidInputError(f"{where}: expected a record object")
        item = dict(item)
        given = item.pop("patient_id", patient_id)
        if given != patient_id:
            raise InvalidInputError(f"record patient_id {given!r} does not match the URL's {patient_id!r}")
        cleaned.append(item)
    try:
        return _RECORDS.validate_python(cleaned)
    except ValidationError as exc:
        raise _invalid(exc, "records") from exc


class PatientListItem(BaseModel):
    patient_id: str
    name: str | None
    n_records: int


@router.get("", response_model=list[PatientListItem])
def list_patients(
    c: ComponentsDep,
    principal: RecordsReadPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[PatientListItem]:
    """Patients by id (those the API key may see), with their record counts; for the web page's selector."""
    found = _records(c).store.list_patients(limit, offset, principal.patient_ids)
    return [PatientListItem(patient_id=p.patient_id, name=p.name, n_records=p.n_records) for p in found]


@router.post("", response_model=PatientOut, status_code=201)
def create_patient(body: PatientIn, c: ComponentsDep, principal: RecordsWritePrincipal) -> PatientOut:
    principal.check_patient(body.patient_id)
    return _records(c).store.create_patient(body)


@router.get("/{patient_id}", response_model=PatientOut)
def get_patient(patient_id: PatientIdPath, c: ComponentsDep, principal: RecordsReadPrincipal) -> PatientOut:
    principal.check_patient(patient_id)
    return _records(c).store.get_patient(patient_id)


@router.post("/{patient_id}/records", response_model=RecordsAdded, status_code=201)
def add_records(
    patient_id: PatientIdPath,
    c: ComponentsDep,
    body: Annotated[Any, Body(description="one record object, or a list of them")],
    principal: RecordsWritePrincipal,
    replace: Annotated[bool, Query(description="overwrite records with the same record_id")] = False,
) -> RecordsAdded:
    principal.check_patient(patient_id)
    records = [r.to_record(patient_id) for r in parse_records(body, patient_id)]
    result = _records(c).store.add_records(patient_id, records, replace=replace)
    return RecordsAdded(patient_id=patient_id, added=result.added, replaced=result.replaced,
                        record_ids=result.record_ids)


@router.get("/{patient_id}/records", response_model=list[RecordOut])
def list_records(
    patient_id: PatientIdPath,
    c: ComponentsDep,
    principal: RecordsReadPrincipal,
    request: Request,
    kind: Annotated[list[str] | None, Query(description="only these kinds (repeatable)")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[RecordOut]:
    """Newest first."""
    principal.check_patient(patient_id)
    found = [RecordOut.of(r) for r in _records(c).store.list_records(patient_id, kind, limit, offset)]
    caller_of(principal, request).log_read(c.access_log, "list", patient_id, [r.record_id for r in found])
    return found


@router.get("/{patient_id}/records/search", response_model=list[RecordHitOut])
def search_records(
    patient_id: PatientIdPath,
    c: ComponentsDep,
    principal: RecordsReadPrincipal,
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=1000, description="what to look for")],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    kind: Annotated[list[str] | None, Query(description="only these kinds (repeatable)")] = None,
) -> list[RecordHitOut]:
    """Hybrid (BM25 + dense) search over this patient's records only."""
    principal.check_patient(patient_id)
    hits = _records(c).search.search(patient_id, q, k, kind)
    caller_of(principal, request).log_read(c.access_log, "search", patient_id,
                      [h.record.record_id for h in hits])
    return [RecordHitOut(record=RecordOut.of(h.record), chunk=h.chunk.text, score=round(h.score, 6)) for h in hits]


@router.get("/{patient_id}/records/{record_id}", response_model=RecordOut)
def get_record(
    patient_id: PatientIdPath, record_id: str, c: ComponentsDep, principal: RecordsReadPrincipal, request: Request
) -> RecordOut:
    principal.check_patient(patient_id)
    found = RecordOut.of(_records(c).store.get_record(patient_id, record_id))
    caller_of(principal, request).log_read(c.access_log, "get", patient_id, [found.record_id])
    return found


@router.delete("/{patient_id}/records/{record_id}", status_code=204)
def delete_record(
    patient_id: PatientIdPath, record_id: str, c: ComponentsDep, principal: RecordsWritePrincipal
) -> Response:
    principal.check_patient(patient_id)
    _records(c).store.delete_record(patient_id, record_id)
    return Response(status_code=204)
