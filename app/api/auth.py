"""API keys: creation, verification, scopes and per-patient limits; the FastAPI dependency for routes.

A key looks like ``cq_<id>_<secret>``; only ``sha256(secret)`` is stored (the secret is 256 bits of
``secrets.token_urlsafe``, so a fast hash is enough) and it is compared in constant time. Clients send
``Authorization: Bearer <key>``. With ``CLINQA_AUTH__ENABLED=false`` (the local demo default) every
request is the anonymous principal with every scope and every patient.

Use in a route::

    @router.get("/v1/things")
    def things(principal: Annotated[Principal, Depends(require_scope("chat"))]) -> ...:
        principal.check_patient(patient_id)   # 404 for a patient the key may not see
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select, update

from app.api.deps import get_components
from app.api.errors import ProblemError
from app.db import Database
from app.factory import Components
from app.models import ApiKey, RecordAccess, utcnow

SCOPES = ("chat", "records:read", "records:write", "admin")
KEY_PREFIX = "cq_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key id (None when auth is off), its scopes and the patients it may see."""

    key_id: str | None
    scopes: frozenset[str]
    patient_ids: frozenset[str] | None = None  # None: every patient

    @property
    def all_patients(self) -> bool:
        return self.patient_ids is None

    def can_see(self, patient_id: str | None) -> bool:
        """A conversation without a patient is visible to any key with the scope; one with a patient only to
        keys allowed that patient."""
        return self.patient_ids is None or patient_id is None or patient_id in self.patient_ids

    def check_patient(self, patient_id: str | None) -> None:
        """404 (not 403, so a limited key cannot probe which patient ids exist) for a patient outside the key."""
        if patient_id is not None and not self.can_see(patient_id):
            raise ProblemError(404, "Not found", f"no patient with id {patient_id!r}")

    def check_conversation(self, patient_of: Callable[[str], str | None], conversation_id: str) -> None:
        """404 for a conversation about a patient outside the key (as if it did not exist). `patient_of`
        looks the conversation's patient up; keys that see every patient skip that database read."""
        if self.patient_ids is not None and not self.can_see(patient_of(conversation_id)):
            raise ProblemError(404, "Not found", f"no conversation with id {conversation_id!r}")

    def require_all_patients(self, what: str) -> None:
        if self.patient_ids is not None:
            raise ProblemError(403, "Forbidden", f"this API key is limited to some patients and cannot {what}")


ANONYMOUS = Principal(key_id=None, scopes=frozenset(SCOPES), patient_ids=None)


def request_id(request: Request) -> str:
    """The request's id: set by the logging middleware when present, else X-Request-ID, else a new one."""
    rid = getattr(request.state, "request_id", None) or request.headers.get("x-request-id")
    if not rid:
        rid = uuid.uuid4().hex
        request.state.request_id = rid
    return str(rid)[:64]


# ---- keys ----------------------------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(text: str | Iterable[str]) -> list[str]:
    items = text.split(",") if isinstance(text, str) else list(text)
    scopes = [s.strip() for s in items if s.strip()]
    bad = [s for s in scopes if s not in SCOPES]
    if bad or not scopes:
        raise ValueError(f"unknown scope(s) {bad or '(none)'}; choose from {', '.join(SCOPES)}")
    return sorted(set(scopes), key=SCOPES.index)


@dataclass(frozen=True)
class CreatedKey:
    id: str
    key: str  # shown once
    scopes: list[str]
    patient_ids: list[str] | None


def create_key(
    db: Database, scopes: str | Sequence[str], patient_ids: Sequence[str] | None = None, name: str | None = None
) -> CreatedKey:
    scope_list = parse_scopes(scopes)
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    patients = sorted(set(patient_ids)) if patient_ids else None
    with db.session() as s:
        s.add(ApiKey(id=key_id, name=name, secret_hash=_hash(secret), scopes=scope_list, patient_ids=patients))
        s.commit()
    return CreatedKey(key_id, f"{KEY_PREFIX}{key_id}_{secret}", scope_list, patients)


def revoke_key(db: Database, key_id: str) -> bool:
    with db.session() as s:
        row = s.get(ApiKey, key_id)
        if row is None:
            return False
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            s.commit()
        return True


def list_keys(db: Database) -> list[ApiKey]:
    with db.session() as s:
        return list(s.scalars(select(ApiKey).order_by(ApiKey.created_at)).all())


def verify_key(db: Database, key: str) -> Principal | None:
    """The principal for a presented key, or None (unknown, malformed, wrong secret or revoked)."""
    if not key.startswith(KEY_PREFIX):
        return None
    key_id, sep, secret = key[len(KEY_PREFIX):].partition("_")
    if not sep or not key_id or not secret or len(key_id) > 32:
        return None
    with db.session() as s:
        row = s.get(ApiKey, key_id)
        # Hash even when the key is unknown, so timing does not tell which ids exist.
        expected = row.secret_hash if row is not None else "0" * 64
        ok = hmac.compare_digest(_hash(secret), expected)
        if row is None or not ok or row.revoked_at is not None:
            return None
        s.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=utcnow()))
        s.commit()
        patients = frozenset(row.patient_ids) if row.patient_ids is not None else None
        return Principal(key_id=row.id, scopes=frozenset(row.scopes), patient_ids=patients)


# ---- the dependency -----------------------------------------------------------------------------------


def authenticate(request: Request, c: Components) -> Principal:
    if not c.settings.auth.enabled:
        return ANONYMOUS
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProblemError(401, "Unauthorized", "send an API key as 'Authorization: Bearer <key>' "
                           "(create one with `clinqa keys create`)")
    principal = verify_key(c.db, token.strip())
    if principal is None:
        raise ProblemError(401, "Unauthorized", "the API key is unknown or revoked")
    return principal


def require_scope(scope: str) -> Callable[..., Principal]:
    """A FastAPI dependency: the caller's `Principal`, which must hold `scope` (one of SCOPES).

    401 problem+json without a valid key, 403 when the key lacks the scope. With auth disabled it returns
    the anonymous principal (every scope, every patient). The principal is also kept on
    `request.state.principal`. Per-patient limits are the route's job: call `principal.check_patient(id)`.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; choose from {', '.join(SCOPES)}")

    def dependency(request: Request, c: Annotated[Components, Depends(get_components)]) -> Principal:
        principal = authenticate(request, c)
        if scope not in principal.scopes:
            raise ProblemError(403, "Forbidden", f"this API key lacks the {scope!r} scope")
        request.state.principal = principal
        return principal

    dependency.__name__ = f"require_scope_{scope.replace(':', '_')}"
    return dependency


ChatPrincipal = Annotated[Principal, Depends(require_scope("chat"))]
RecordsReadPrincipal = Annotated[Principal, Depends(require_scope("records:read"))]
RecordsWritePrincipal = Annotated[Principal, Depends(require_scope("records:write"))]
AdminPrincipal = Annotated[Principal, Depends(require_scope("admin"))]


# ---- audit --------------------------------------------------------------------------------------------


def audit_record_read(
    db: Database, principal: Principal | None, request_id: str | None, action: str, patient_id: str,
    record_ids: Sequence[str],
) -> None:
    """Write who read which of a patient's records, when, in which request."""
    with db.session() as s:
        s.add(RecordAccess(key_id=principal.key_id if principal else None, request_id=request_id,
                           action=action, patient_id=patient_id, record_ids=list(record_ids)))
        s.commit()
