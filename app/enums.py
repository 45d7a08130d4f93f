"""The enumerations Settings, request schemas, the pipeline and the database share.

They live below everything else in `app` (this module imports nothing from it), so `app.config` can use
them as setting types and `app.api.schemas` as request fields without depending on the pipeline.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class _Choice(StrEnum):
    @classmethod
    def from_str(cls, value: str) -> Self:
        try:
            return cls(value.strip().lower())
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in cls)
            raise ValueError(f"unknown {cls.__name__.lower()} {value!r}; expected one of {allowed}") from None


class Mode(_Choice):
    DRR = "drr"  # Distill-Retrieve-Read
    RTR = "rtr"  # Retrieve-then-Read on the raw last user turn


class Mag(_Choice):
    """MedRecord-augmented generation: which of the patient's records the reader sees."""

    NONE = "none"  # records are not used at all
    GLOBAL = "global"  # the most recent record(s) of the relevant kind
    REGIONAL = "regional"  # sentences of prior records about the asked region or drug
    ALL = "all"  # both

    @property
    def uses_global(self) -> bool:
        return self in (Mag.GLOBAL, Mag.ALL)

    @property
    def uses_regional(self) -> bool:
        return self in (Mag.REGIONAL, Mag.ALL)


class Status(_Choice):
    """How a turn ended; stored with the assistant message."""

    ANSWERED = "answered"
    NO_EVIDENCE = "no_evidence"
    UNKNOWN_DRUG = "unknown_drug"
    CLARIFY = "clarify"  # two medicines fit the question equally well: the answer asks which one is meant
    NOT_MEDICAL = "not_medical"  # small talk or an unrelated question: a short reply saying what can be asked
    ERROR = "error"  # the pipeline failed; the user's message stays stored


class Scope(_Choice):
    """What an API key may do."""

    CHAT = "chat"
    RECORDS_READ = "records:read"
    RECORDS_WRITE = "records:write"
    ADMIN = "admin"
