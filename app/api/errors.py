"""Errors as RFC 9457 problem+json: a title, a status and a message a person can act on.

`PROBLEMS` is the one table from domain errors (app/errors.py, the model and index errors) to HTTP; the
OpenAI-compatible routes turn the same problems into OpenAI's error shape (routes/openai_compat.py)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.errors import (
    ClinqaError,
    ConflictError,
    DatabaseUnavailableError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    TooLargeError,
    TurnFailedError,
    UnavailableError,
)
from app.llm.errors import ModelError, ModelTimeoutError, ModelUnavailableError
from app.services.indexes import IndexNotReadyError
from app.services.jwks import IdentityProviderUnavailableError
from app.services.rebuild_jobs import RebuildRunningError

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
INTERNAL_DETAIL = "The server failed to handle the request; it was logged."

# Most specific first: the first entry the error is an instance of decides.
PROBLEMS: tuple[tuple[type[Exception], int, str], ...] = (
    (TooLargeError, 413, "Too large"),
    (InvalidInputError, 422, "Invalid request"),
    (NotFoundError, 404, "Not found"),
    (RebuildRunningError, 409, "Rebuild running"),
    (ConflictError, 409, "Conflict"),
    (ForbiddenError, 403, "Forbidden"),
    (IndexNotReadyError, 503, "Index not ready"),
    (DatabaseUnavailableError, 503, "Database unavailable"),  # with Retry-After (its retry_after)
    (IdentityProviderUnavailableError, 503, "Identity provider unavailable"),  # the JWKS: with Retry-After
    (UnavailableError, 503, "Unavailable"),
    # A model that failed is the upstream's fault: 502 bad reply, 503 unreachable/overloaded, 504 too slow.
    (ModelTimeoutError, 504, "Model timed out"),
    (ModelUnavailableError, 503, "Model unavailable"),
    (ModelError, 502, "Model error"),
)


class ProblemError(Exception):
    """`headers`: HTTP headers of the response (a 401's WWW-Authenticate); `extra`: members of the body."""

    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers
        self.extra = extra


def as_problem(exc: Exception) -> ProblemError:
    """The problem a client gets for an error (500 for anything the table does not name)."""
    if isinstance(exc, ProblemError):
        return exc
    if isinstance(exc, TurnFailedError):  # the message is stored: say so, and where to retry
        cause = as_problem(exc.cause)
        if cause.status == 500:
            return ProblemError(500, "Pipeline error", "answering failed; your message was saved, please retry",
                                **exc.extra)
        return ProblemError(cause.status, cause.title, f"{exc.cause} Your message was saved; please retry.",
                            **exc.extra)
    for kind, status, title in PROBLEMS:
        if isinstance(exc, kind):
            extra = exc.extra if isinstance(exc, ClinqaError) else {}
            return ProblemError(status, title, str(exc), **extra)
    return ProblemError(500, "Internal error", INTERNAL_DETAIL)


def problem(status: int, title: str, detail: str, instance: str = "", **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update(extra)
    retry = extra.get("retry_after")  # a client's hint (DatabaseUnavailableError): also as the HTTP header
    headers = {"Retry-After": str(retry)} if isinstance(retry, int) else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (a path's GET and POST are often two routes, and routers
    nest): each method is tried against the app's routes."""
    routes = request.app.router.routes
    return [m for m in _METHODS
            if any(route.matches({**request.scope, "method": m})[0] is Match.FULL for route in routes)]


_NOT_AN_OBJECT = {"dict_type", "model_attributes_type", "model_type"}


def _error_message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    loc = tuple(err.get("loc", ()))
    if kind == "json_invalid":
        # pydantic gives the character offset as the location's second part
        at = next((p for p in loc if isinstance(p, int)), None)
        reason = str((err.get("ctx") or {}).get("error", "")).strip()
        where = f" at character {at + 1}" if at is not None else ""
        return f"not valid JSON{where}" + (f": {reason}" if reason else "")
    if loc == ("body",) and kind in _NOT_AN_OBJECT:
        return "must be a JSON object, sent with Content-Type: application/json"
    # a validator's own message, without pydantic's "Value error, " prefix
    return str(err.get("msg", "invalid")).removeprefix("Value error, ")


def _describe_validation(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    errors = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body" and not isinstance(p, int)) or "body"
        if err.get("type") != "json_invalid":
            loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        errors.append({"field": loc, "message": _error_message(err)})
    if any(e["message"].startswith("not valid JSON") for e in errors):
        return f"The request body is {errors[0]['message']}.", errors
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid request"
    return detail, errors


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    @app.exception_handler(ClinqaError)
    async def _problem(request: Request, exc: Exception) -> JSONResponse:
        p = as_problem(exc)
        response = problem(p.status, p.title, p.detail, str(request.url.path), **p.extra)
        response.headers.update(p.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail, errors = _describe_validation(exc)
        return problem(422, "Invalid request", detail, str(request.url.path), errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized", 403: "Forbidden"}.get(
            exc.status_code, "HTTP error"
        )
        response = problem(exc.status_code, title, str(exc.detail), str(request.url.path))
        response.headers.update(exc.headers or {})
        if exc.status_code == 405 and (methods := allowed_methods(request)):
            response.headers["Allow"] = ", ".join(methods)
        return response

    # A last resort only: ObservabilityMiddleware (app/api/metrics.py) answers unexpected errors itself, with
    # the request id in the log and the connection kept open (Starlette's outermost handler re-raises after
    # answering, and the server then drops the keep-alive connection).
    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(500, "Internal error", INTERNAL_DETAIL, str(request.url.path))
