"""API keys: who is calling (`Principal`), and creating, listing, revoking and verifying keys. The HTTP
routes (app/api/auth.py) and the CLI (`clinqa keys ...`) both call these.

A key looks like ``cq_<id>_<secret>``; only ``sha256(secret)`` is stored (the secret is 256 bits of
``secrets.token_urlsafe``, so a fast hash is enough) and it is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from app.db import Database
from app.enums import Scope
from app.errors import DatabaseUnavailableError, ForbiddenError, NotFoundError
from app.models import ApiKey, utcnow

log = logging.getLogger(__name__)

SCOPES = tuple(s.value for s in Scope)
KEY_PREFIX = "cq_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key id (None when auth is off or for a token), its scopes and the patients it may
    see; for an OpenID Connect token, the end user's subject and the token's issuer."""

    key_id: str | None
    scopes: frozenset[str]
    patient_ids: frozenset[str] | None = None  # None: every patient
    subject: str | None = None  # the token's `sub`
    issuer: str | None = None  # the token's `iss`

    @property
    def owner(self) -> str | None:
        """Whose conversations these are: the key id, or for a token issuer + subject (as a fixed-length
        hash: an issuer URL and a subject of up to 255 characters do not fit the 64-character column)."""
        if self.subject is None:
            return self.key_id
        digest = hashlib.sha256(f"{self.issuer or ''}\n{self.subject}".encode()).hexdigest()
        return f"oidc:{digest[:48]}"

    def can_see(self, patient_id: str | None) -> bool:
        """A conversation without a patient is visible to any key with the scope; one with a patient only to
        keys allowed that patient."""
        return self.patient_ids is None or patient_id is None or patient_id in self.patient_ids

    def may_read_records_of(self, patient_id: str | None) -> bool:
        """Whether a chat may use (and so quote) this patient's records: the key must see the patient and
        hold the records:read scope. No patient: nothing to read."""
        return patient_id is None or (Scope.RECORDS_READ.value in self.scopes and self.can_see(patient_id))

    def check_patient(self, patient_id: str | None) -> None:
        """Not found (not forbidden, so a limited key cannot probe which patient ids exist) for a patient
        outside the key."""
        if patient_id is not None and not self.can_see(patient_id):
            raise NotFoundError(f"no patient with id {patient_id!r}")

    def require_all_patients(self, what: str) -> None:
        if self.patient_ids is not None:
            who = "token" if self.subject is not None else "API key"
            raise ForbiddenError(f"this {who} is limited to some patients and cannot {what}")


ANONYMOUS = Principal(key_id=None, scopes=frozenset(SCOPES), patient_ids=None)


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


class KeyService:
    """`touch_every_s`: `last_used_at` is written at most this often per key (per process, and not when the
    stored time is that recent), and a failed write never fails the request: verifying a key is a read."""

    def __init__(self, db: Database, touch_every_s: float = 60.0) -> None:
        self.db = db
        self.touch_every_s = touch_every_s
        self._touched: dict[str, float] = {}  # key id -> time.monotonic() of the last write (or attempt)
        self._touch_lock = threading.Lock()

    def create(
        self, scopes: str | Sequence[str], patient_ids: Sequence[str] | None = None, name: str | None = None
    ) -> CreatedKey:
        scope_list = parse_scopes(scopes)
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        patients = sorted(set(patient_ids)) if patient_ids else None
        with self.db.session() as s:
            s.add(ApiKey(id=key_id, name=name, secret_hash=_hash(secret), scopes=scope_list, patient_ids=patients))
            s.commit()
        return CreatedKey(key_id, f"{KEY_PREFIX}{key_id}_{secret}", scope_list, patients)

    def revoke(self, key_id: str) -> bool:
        with self.db.session() as s:
            row = s.get(ApiKey, key_id)
            if row is None:
                return False
            if row.revoked_at is None:
                row.revoked_at = utcnow()
                s.commit()
            return True

    def list(self) -> list[ApiKey]:
        with self.db.session() as s:
            return list(s.scalars(select(ApiKey).order_by(ApiKey.created_at)).all())

    def verify(self, key: str) -> Principal | None:
        """The principal for a presented key, or None (unknown, malformed, wrong secret or revoked)."""
        if not key.startswith(KEY_PREFIX):
            return None
        key_id, sep, secret = key[len(KEY_PREFIX):].partition("_")
        if not sep or not key_id or not secret or len(key_id) > 32:
            return None
        with self.db.session() as s:
            row = s.get(ApiKey, key_id)
            # Hash even when the key is unknown, so timing does not tell which ids exist.
            expected = row.secret_hash if row is not None else "0" * 64
            ok = hmac.compare_digest(_hash(secret), expected)
            if row is None or not ok or row.revoked_at is not None:
                return None
            patients = frozenset(row.patient_ids) if row.patient_ids is not None else None
            principal = Principal(key_id=row.id, scopes=frozenset(row.scopes), patient_ids=patients)
            last_used = row.last_used_at
        self._touch(key_id, last_used)
        return principal

    def _touch(self, key_id: str, stored: datetime | None) -> None:
        """Record the key's use, sparingly; a database that refuses the write is logged, not raised."""
        now = time.monotonic()
        with self._touch_lock:
            last = self._touched.get(key_id)
            if last is not None and now - last < self.touch_every_s:
                return
            self._touched[key_id] = now  # also after a failure: a sick database is not retried per request
        wall = utcnow()
        if stored is not None:
            recent = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
            if wall - recent < timedelta(seconds=self.touch_every_s):
                return  # another process (or before a restart) wrote it lately
        try:
            with self.db.transaction() as conn:
                conn.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=wall))
        except (DatabaseUnavailableError, SQLAlchemyError) as exc:  # busy or unwritable: the request goes on
            log.warning("could not record the use of API key %s: %s", key_id, exc)
