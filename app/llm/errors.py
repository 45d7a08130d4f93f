"""Why a model call failed, in terms the API can answer with (see app/chat_service.py)."""

from __future__ import annotations


class ModelError(Exception):
    """A model backend could not produce a reply."""


class ModelUnavailableError(ModelError):
    """The model cannot be reached or loaded (connection refused, overloaded after retries, bad path)."""


class ModelTimeoutError(ModelError):
    """The model did not answer within the configured timeout."""


class ModelResponseError(ModelError):
    """The model's server answered with an error or with a body that is not a chat completion."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
