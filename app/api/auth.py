"""The FastAPI side of API keys and OpenID Connect tokens: reading `Authorization: Bearer <key or token>`,
the scope dependencies, the request id. Keys themselves (create, list, revoke, verify; `Principal`) live in
app/services/keys.py, tokens in app/services/identity.py (docs/identity.md).

With ``CLINQA_AUTH__ENABLED=false`` (the local demo default) every request is the anonymous principal with
every scope and every patient. Use in a route::

    @router.get("/v1/things")
    def things(principal: Annotated[Principal, Depends(require_scope("chat"))]) -> ...:
        principal.check_patient(patient_id)   # not found for a patient the key may not see
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from app.api.deps import get_components
from app.api.errors import ProblemError
from app.factory import Components
from app.services.chat import Caller
from app.services.identity import TokenRejectedError, looks_like_jwt
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


CHALLENGE = 'Bearer realm="clinqa"'
# error_description may hold only printable ASCII, less '"' and '\\' (RFC 6750 section 3)
_NOT_IN_QUOTED_STRING = re.compile(r'[^\x20-\x7e]|["\\]')


def _unauthorized(detail: str, reason: str | None = None) -> ProblemError:
    """401 problem+json with the RFC 6750 challenge (`error="invalid_token"` when a token was sent)."""
    challenge = CHALLENGE
    if reason is not None:
        description = _NOT_IN_QUOTED_STRING.sub("", detail)[:200]
        challenge += f', error="invalid_token", error_description="{description}"'
    extra = {"reason": reason} if reason is not None else {}
    return ProblemError(401, "Unauthorized", detail, headers={"WWW-Authenticate": challenge}, **extra)


def authenticate(request: Request, c: Components) -> Principal:
    """The caller of a request: an API key, or with OpenID Connect configured a JWT (three dot-separated
    parts) checked against the issuer's keys."""
    if not c.settings.auth.enabled:
        return ANONYMOUS
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        how = " or an OpenID Connect access token" if c.identity is not None else ""
        raise _unauthorized(f"send an API key{how} as 'Authorization: Bearer <token>' "
                            "(create a key with `clinqa keys create`)")
    if looks_like_jwt(token):
        if c.identity is None:
            raise _unauthorized("this server does not accept JWT bearer tokens (OpenID Connect is not "
                                "configured); send an API key", "not_configured")
        try:
            return c.identity.verify(token)
        except TokenRejectedError as exc:
            raise _unauthorized(f"the token was rejected: {exc.detail}", exc.reason) from exc
    principal = c.keys.verify(token)
    if principal is None:
        raise _unauthorized("the API key is unknown or revoked", "unknown_api_key")
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
            what = "token" if principal.subject is not None else "API key"
            raise ProblemError(403, "Forbidden", f"this {what} lacks the {scope!r} scope")
        request.state.principal = principal
        return principal

    dependency.__name__ = f"require_scope_{scope.replace(':', '_')}"
    return dependency


ChatPrincipal = Annotated[Principal, Depends(require_scope("chat"))]
RecordsReadPrincipal = Annotated[Principal, Depends(require_scope("records:read"))]
RecordsWritePrincipal = Annotated[Principal, Depends(require_scope("records:write"))]
AdminPrincipal = Annotated[Principal, Depends(require_scope("admin"))]
