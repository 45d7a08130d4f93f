"""Who read which of a patient's records, when, in which request (the `record_access_log` table)."""

from __future__ import annotations

from collections.abc import Sequence

from app.db import Database
from app.models import RecordAccess


class AccessLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record_read(
        self, key_id: str | None, request_id: str | None, action: str, patient_id: str,
        record_ids: Sequence[str], client_request_id: str | None = None,
    ) -> None:
        with self.db.session() as s:
            s.add(RecordAccess(key_id=key_id, request_id=request_id, client_request_id=client_request_id,
                               action=action, patient_id=patient_id, record_ids=list(record_ids)))
            s.commit()
