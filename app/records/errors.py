"""Errors of the records package; the API maps them onto problem+json statuses."""

from __future__ import annotations


class RecordsError(Exception):
    """Base class; `status` is the HTTP status the API answers with."""

    status = 400
    title = "Invalid records request"


class PatientNotFoundError(RecordsError):
    status = 404
    title = "Not found"

    def __init__(self, patient_id: str) -> None:
        super().__init__(f"no patient with id {patient_id!r}; create it with POST /v1/patients")
        self.patient_id = patient_id


class PatientExistsError(RecordsError):
    status = 409
    title = "Conflict"

    def __init__(self, patient_id: str) -> None:
        super().__init__(f"a patient with id {patient_id!r} already exists")
        self.patient_id = patient_id


class RecordNotFoundError(RecordsError):
    status = 404
    title = "Not found"

    def __init__(self, patient_id: str, record_id: str) -> None:
        super().__init__(f"patient {patient_id!r} has no record {record_id!r}")


class RecordExistsError(RecordsError):
    status = 409
    title = "Conflict"

    def __init__(self, patient_id: str, record_ids: list[str]) -> None:
        listed = ", ".join(repr(r) for r in record_ids[:5]) + (" ..." if len(record_ids) > 5 else "")
        super().__init__(
            f"patient {patient_id!r} already has record(s) {listed}; delete them first or pass ?replace=true"
        )


class RecordFormatError(RecordsError):
    """A record file that cannot be read; the message names the file and line."""

    status = 422
    title = "Invalid record"
