"""Errors of the records package, as domain errors (app/api/errors.py maps them onto HTTP statuses)."""

from __future__ import annotations

from app.errors import ConflictError, InvalidInputError, NotFoundError


class PatientNotFoundError(NotFoundError):
    def __init__(self, patient_id: str) -> None:
        super().__init__(f"no patient with id {patient_id!r}; create it with POST /v1/patients")
        self.patient_id = patient_id


class PatientExistsError(ConflictError):
    def __init__(self, patient_id: str) -> None:
        super().__init__(f"a patient with id {patient_id!r} already exists")
        self.patient_id = patient_id


class RecordNotFoundError(NotFoundError):
    def __init__(self, patient_id: str, record_id: str) -> None:
        super().__init__(f"patient {patient_id!r} has no record {record_id!r}")


class RecordExistsError(ConflictError):
    def __init__(self, patient_id: str, record_ids: list[str]) -> None:
        listed = ", ".join(repr(r) for r in record_ids[:5]) + (" ..." if len(record_ids) > 5 else "")
        super().__init__(
            f"patient {patient_id!r} already has record(s) {listed}; delete them first or pass ?replace=true"
        )


class RecordFormatError(InvalidInputError):
    """A record file that cannot be read; the message names the file and line."""
