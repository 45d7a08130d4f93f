"""OpenID Connect / JWT bearer tokens: check a token against the issuer's keys and map its claims to a
`Principal` (scopes, a patient limit, the end user's subject). API keys are app/services/keys.py.

A token is accepted only when its algorithm is in the allow-list (public-key algorithms only, never
`none`), its key is in the issuer's JWKS (app/services/jwks.py; keys named in the token itself, `jku`, `x5u`
or `jwk`, are never fetched or used), its signature checks, `iss` and `aud` are the configured ones, `exp`
has not passed and `nbf`/`iat` are not in the future (each give or take the leeway), and `sub` is there.

Scopes: each token scope (the `scope` claim, space-separated, or a list) found in `scope_map` and each
role found in `role_map` grants its clinqa scopes. SMART-style `patient/...` scopes limit the caller to
the token's `patient` claim, unless a `user/...` or `system/...` scope is granted as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.exceptions import (
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAlgorithmError,
    InvalidAudienceError,
    InvalidIssuerError,
    InvalidSignatureError,
    InvalidTokenError,
    MissingRequiredClaimError,
)

from app.config import OIDCSettings
from app.services.jwks import JwksCache
from app.services.keys import Principal

MAX_TOKEN_CHARS = 16_384
MAX_SUBJECT_CHARS = 255  # the column's width; OpenID Connect Core 1.0 caps `sub` at 255 ASCII characters
MAX_PATIENT_CHARS = 128
PATIENT_PREFIX = "patient/"
WIDE_PREFIXES = ("user/", "system/")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class TokenRejectedError(Exception):
    """A bearer token that is not accepted. `reason` is a short code a client can act on (expired, audience,
    issuer, algorithm, unknown_key, signature, not_yet_valid, missing_claim, subject, patient, malformed)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def looks_like_jwt(token: str) -> bool:
    """A compact JWS: three dot-separated parts (an unsigned `alg: none` token has an empty third part).
    API keys (`cq_<id>_<secret>`, base64url) never contain a dot."""
    parts = token.split(".")
    return len(parts) == 3 and bool(parts[0]) and bool(parts[1])


def claim(claims: dict[str, Any], name: str) -> Any:
    """A claim by name; a dotted name walks into nested objects ("realm_access.roles"). A claim whose own
    name has a dot is found first."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def strings(value: Any) -> list[str]:
    """A space-separated string (OAuth `scope`) or a list of strings (`scp`, roles) as a list."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


@dataclass(frozen=True)
class ClaimMapping:
    scope_claim: str
    patient_claim: str
    roles_claim: str
    scope_map: dict[str, list[str]]
    role_map: dict[str, list[str]]

    @classmethod
    def of(cls, settings: OIDCSettings) -> ClaimMapping:
        return cls(settings.scope_claim, settings.patient_claim, settings.roles_claim, settings.scope_map,
                   settings.role_map)

    def principal(self, claims: dict[str, Any]) -> Principal:
        """The caller a verified token's claims describe."""
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject or len(subject) > MAX_SUBJECT_CHARS or _CONTROL.search(subject):
            raise TokenRejectedError("subject", f"the token's 'sub' must be 1..{MAX_SUBJECT_CHARS} printable "
                                                "characters")
        matched = [s for s in strings(claim(claims, self.scope_claim)) if s in self.scope_map]
        roles = [r for r in strings(claim(claims, self.roles_claim)) if r in self.role_map]
        scopes = {x for s in matched for x in self.scope_map[s]} | {x for r in roles for x in self.role_map[r]}
        patient_ids: frozenset[str] | None = None
        if any(s.startswith(PATIENT_PREFIX) for s in matched) and not any(s.startswith(WIDE_PREFIXES) for s in matched):
            patient = claim(claims, self.patient_claim)
            if not isinstance(patient, str) or not patient.strip() or len(patient) > MAX_PATIENT_CHARS:
                raise TokenRejectedError("patient", f"the token's patient/ scopes need a '{self.patient_claim}' "
                                                    f"claim naming the patient (1..{MAX_PATIENT_CHARS} characters)")
            patient_ids = frozenset({patient})
        issuer = claims.get("iss")
        return Principal(key_id=None, scopes=frozenset(scopes), patient_ids=patient_ids, subject=subject,
                         issuer=issuer if isinstance(issuer, str) else None)


class TokenVerifier:
    def __init__(self, settings: OIDCSettings, keys: JwksCache) -> None:
        self.settings = settings
        self.keys = keys
        self.mapping = ClaimMapping.of(settings)

    @classmethod
    def of(cls, settings: OIDCSettings) -> TokenVerifier:
        return cls(settings, JwksCache(settings.jwks_url, settings.jwks_cache_s, settings.jwks_refetch_s,
                                       settings.jwks_timeout_s))

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; `TokenRejectedError` says why one is not (and
        `IdentityProviderUnavailableError` when the issuer's keys cannot be had)."""
        return self.mapping.principal(self.claims(token))

    def claims(self, token: str) -> dict[str, Any]:
        if len(token) > MAX_TOKEN_CHARS:
            raise TokenRejectedError("malformed", f"the token is longer than {MAX_TOKEN_CHARS} characters")
        try:
            header = jwt.get_unverified_header(token)
        except InvalidTokenError as exc:
            raise TokenRejectedError("malformed", f"the token is not a JWT ({exc})") from exc
        alg, kid = header.get("alg"), header.get("kid")
        if not isinstance(alg, str) or alg.lower() == "none":
            raise TokenRejectedError("algorithm", "unsigned tokens (alg 'none') are not accepted")
        if alg not in self.settings.algorithms:
            raise TokenRejectedError("algorithm", f"algorithm {alg!r} is not accepted; allowed: "
                                                  f"{', '.join(self.settings.algorithms)}")
        if kid is not None and not isinstance(kid, str):
            raise TokenRejectedError("malformed", "the token's 'kid' header is not a string")
        key = self.keys.key_for(kid, alg)
        if key is None:
            raise TokenRejectedError("unknown_key", f"the issuer has no {alg} key with id {kid[:64]!r}" if kid else
                                     f"the token names no key ('kid') and the issuer has not exactly one {alg} key")
        s = self.settings
        try:
            decoded: dict[str, Any] = jwt.decode(
                token, key, algorithms=[alg], audience=s.audience, issuer=s.issuer, leeway=s.leeway_s,
                options={"require": ["exp", "iss", "aud", "sub"], "verify_iat": True},
            )
        except ExpiredSignatureError as exc:
            raise TokenRejectedError("expired", "the token has expired") from exc
        except ImmatureSignatureError as exc:
            raise TokenRejectedError("not_yet_valid", f"the token is not valid yet ({exc})") from exc
        except InvalidAudienceError as exc:
            raise TokenRejectedError("audience", f"the token is not for this service (audience {s.audience!r} "
                                                 "expected)") from exc
        except InvalidIssuerError as exc:
            raise TokenRejectedError("issuer", f"the token is not from issuer {s.issuer!r}") from exc
        except MissingRequiredClaimError as exc:
            raise TokenRejectedError("missing_claim", f"the token lacks the {exc.claim!r} claim") from exc
        except (InvalidSignatureError, InvalidAlgorithmError) as exc:
            raise TokenRejectedError("signature", "the token's signature does not verify") from exc
        except InvalidTokenError as exc:
            raise TokenRejectedError("malformed", f"the token cannot be read ({exc})") from exc
        return decoded
