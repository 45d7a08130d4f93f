"""Domain errors: what went wrong, in the service's terms. They know nothing of HTTP; app/api/errors.py maps
each kind onto a problem+json status (and OpenAI's error shape) in one table."""

from __future__ import annotations

from typing import Any


class ClinqaError(Exception):
    """Base class. `extra` holds fields a client can act on (e.g. the conversation id to retry in)."""

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidInputError(ClinqaError):
    """The request or file cannot be used as given (the message says what to change)."""


class TooLargeError(InvalidInputError):
    """Far over a size limit (a body to refuse outright rather than correct)."""


class NotFoundError(ClinqaError):
    """No such thing, or not one the caller may know about (the two answer alike)."""


class ConflictError(ClinqaError):
    """The request contradicts what is stored (an existing id, another patient's conversation)."""


class ForbiddenError(ClinqaError):
    """The caller is known but may not do this."""


class UnavailableError(ClinqaError):
    """The service cannot do this right now (index not loaded, records not configured); retry later."""


class DatabaseUnavailableError(UnavailableError):
    """The database cannot be used right now: it refuses writes (a read-only or immutable file, a full disk,
    a read-only replica) or cannot be reached. `retry_after` (seconds) is the client's hint."""

    def __init__(self, detail: str, retry_after: int = 5) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after


class TurnFailedError(ClinqaError):
    """A chat turn failed after the user's message was stored; `cause` says why (a model error, the index,
    a bug). The message stays stored and the conversation can continue."""

    def __init__(self, conversation_id: str, cause: Exception) -> None:
        super().__init__(f"{cause}", conversation_id=conversation_id)
        self.conversation_id = conversation_id
        self.cause = cause
