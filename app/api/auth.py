"""The FastAPI side of API keys: reading `Authorization: Bearer <key>`, the scope dependencies, the request
id. Keys themselves (create, list, revoke, verify; `Principal`) live in app/services/keys.py.

With ``CLINQA_AUTH__ENABLED=false`` (the local demo default) every request is the anonymous principal with
every scope and every patient. Use in a route::

    @router.get("/v1/things")
    def things(principal: Annotated[Principal, Depends(require_scope("chat"))]) -> ...:
        principal.check_patient(patient_id)   # not found for a patient the key may not see
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from app.api.deps import get_components
from app.api.errors import ProblemError
from app.factory import Components
from app.services.chat import Caller
from app.services.keys import ANONYMOUS, SCOPES, Principal


def request_id(request: Request) -> str:
    """The request's id, made by the server (the request-id middleware; a new one without it)."""
    rid = getattr(request.state, "request_id", None)
    if not rid:
        rid = uuid.uuid4().hex
        request.state.request_id = rid
    return str(rid)[:64]


def client_request_id(request: Request) -> str | None:
    """The X-Request-ID the client sent, when it is a sane token (kept apart from the server's own id)."""
    return getattr(request.state, "client_request_id", None)


def caller_of(principal: Principal, request: Request) -> Caller:
    """The caller as the services see it: the key's principal and both request ids."""
    return Caller(principal, request_id(request), client_request_id(request))


def authenticate(request: Request, c: Components) -> Principal:
    if not c.settings.auth.enabled:
        return ANONYMOUS
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProblemError(401, "Unauthorized", "send an API key as 'Authorization: Bearer <key>' "
                           "(create one with `clinqa keys create`)")
    principal = c.keys.verify(token.strip())
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
