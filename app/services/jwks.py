"""The OpenID Connect issuer's signing keys: its JWKS document, fetched over HTTP and cached.

Keys are fetched on first use and kept for `ttl_s`. A token naming a key the cached set lacks (the issuer
rotated its keys) refetches the set at once, but at most once every `refetch_s` seconds, so tokens with
made-up key ids cannot turn every request into a request to the issuer. One fetch runs at a time; threads
that waited for it use its result. When a refetch fails, the keys already held stay in use (an issuer that
is briefly down does not lock everyone out) and the next attempt waits `refetch_s`; with no keys at all,
verification is unavailable (503) until a fetch succeeds.

Only public signature keys are kept: RSA, EC and OKP keys whose `use` (if given) is `sig`. Symmetric (`oct`)
keys are dropped, so no token can be checked against a shared secret taken from the set.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
from jwt import PyJWK
from jwt.exceptions import PyJWKError

from app.errors import UnavailableError

log = logging.getLogger(__name__)

MAX_JWKS_BYTES = 1_000_000
# Which key types and curves each signature algorithm takes (RFC 7518 section 3, RFC 8037).
_ALG_KEY: dict[str, tuple[str, frozenset[str] | None]] = {
    **{a: ("RSA", None) for a in ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")},
    "ES256": ("EC", frozenset({"P-256"})),
    "ES384": ("EC", frozenset({"P-384"})),
    "ES512": ("EC", frozenset({"P-521"})),
    "EdDSA": ("OKP", frozenset({"Ed25519", "Ed448"})),
}


class IdentityProviderUnavailableError(UnavailableError):
    """The issuer's keys could not be fetched and none are held: tokens cannot be checked right now."""

    def __init__(self, detail: str, retry_after: int = 10) -> None:
        super().__init__(detail, retry_after=retry_after)


def fetch_jwks(url: str, timeout_s: float) -> bytes:
    """The JWKS document's bytes (no redirects followed: the configured URL is the one trusted)."""
    with httpx.Client(timeout=timeout_s, follow_redirects=False) as client, client.stream("GET", url) as response:
        if response.status_code != 200:
            raise IdentityProviderUnavailableError(f"JWKS {url} answered HTTP {response.status_code}")
        body = b""
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > MAX_JWKS_BYTES:
                raise IdentityProviderUnavailableError(f"JWKS {url} is larger than {MAX_JWKS_BYTES} bytes")
        return body


def parse_jwks(raw: bytes, url: str) -> list[dict[str, Any]]:
    """The usable signature keys of a JWKS document; a document that is not one is an error."""
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise IdentityProviderUnavailableError(f"JWKS {url} is not JSON: {exc}") from exc
    keys = doc.get("keys") if isinstance(doc, dict) else None
    if not isinstance(keys, list):
        raise IdentityProviderUnavailableError(f"JWKS {url} has no 'keys' list")
    usable = []
    for jwk in keys:
        if not isinstance(jwk, dict) or jwk.get("kty") not in ("RSA", "EC", "OKP"):
            continue
        if jwk.get("use", "sig") != "sig":
            continue
        ops = jwk.get("key_ops")
        if isinstance(ops, list) and "verify" not in ops:
            continue
        usable.append(jwk)
    return usable


def fits(jwk: dict[str, Any], alg: str) -> bool:
    """Whether a token signed with `alg` may be checked with this key (type, curve and the key's own alg)."""
    kty, curves = _ALG_KEY.get(alg, ("", None))
    if jwk.get("kty") != kty or (curves is not None and jwk.get("crv") not in curves):
        return False
    own = jwk.get("alg")
    return own is None or own == alg


class JwksCache:
    """`fetch(url)` returns the document's bytes (default: an HTTP GET); `clock` is monotonic seconds."""

    def __init__(
        self,
        url: str,
        ttl_s: float = 3600.0,
        refetch_s: float = 30.0,
        timeout_s: float = 5.0,
        fetch: Callable[[str], bytes] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.ttl_s = ttl_s
        self.refetch_s = refetch_s
        self._fetch = fetch or (lambda u: fetch_jwks(u, timeout_s))
        self._clock = clock
        self._keys: list[dict[str, Any]] | None = None
        self._fetched_at = 0.0  # when the keys held were fetched
        self._tried_at: float | None = None  # the last fetch attempt, successful or not
        self._generation = 0  # fetch attempts so far: a thread that waited on the lock sees one happened
        self._state = threading.Lock()  # the fields above; held briefly
        self._fetching = threading.Lock()  # one fetch at a time
        self.fetches = 0  # successful fetches (for tests and logs)

    def key_for(self, kid: str | None, alg: str) -> PyJWK | None:
        """The key to check a token with `kid` and `alg`, or None when the issuer has no such key (after a
        refetch, when one is allowed now). Without `kid`, the one fitting key, if there is exactly one."""
        keys, generation = self._current()
        found = _pick(keys, kid, alg)
        if found is None and self._may_refetch():
            keys, _ = self._refresh(generation)
            found = _pick(keys, kid, alg)
        if found is None:
            return None
        try:
            return PyJWK(found, algorithm=alg)
        except PyJWKError as exc:
            log.warning("JWKS %s: key %r cannot be used: %s", self.url, found.get("kid"), exc)
            return None

    def _current(self) -> tuple[list[dict[str, Any]], int]:
        with self._state:
            keys, generation, now = self._keys, self._generation, self._clock()
            fresh = keys is not None and now - self._fetched_at < self.ttl_s
            backing_off = self._tried_at is not None and now - self._tried_at < self.refetch_s
        if keys is not None and (fresh or backing_off):
            return keys, generation  # stale keys only while a failed refetch is backing off
        if backing_off:
            raise IdentityProviderUnavailableError(f"the identity provider's keys could not be fetched from "
                                                   f"{self.url}; retry shortly")
        return self._refresh(generation)

    def _may_refetch(self) -> bool:
        with self._state:
            return self._tried_at is None or self._clock() - self._tried_at >= self.refetch_s

    def _refresh(self, seen: int) -> tuple[list[dict[str, Any]], int]:
        """Fetch the set unless another thread tried since generation `seen`; keep the old keys on failure.
        Requests whose keys are fresh never wait for a fetch (it runs outside the state lock)."""
        with self._fetching:
            with self._state:
                if self._generation != seen:
                    return self._held()
                self._generation += 1
                self._tried_at = self._clock()
            try:
                keys = parse_jwks(self._fetch(self.url), self.url)
            except (httpx.HTTPError, IdentityProviderUnavailableError) as exc:
                with self._state:
                    if self._keys is None:
                        raise IdentityProviderUnavailableError(
                            f"the identity provider's keys could not be fetched from {self.url}: {exc}") from exc
                    log.warning("JWKS refetch from %s failed (keeping %d cached keys): %s",
                                self.url, len(self._keys), exc)
                    return self._held()
            with self._state:
                self._keys, self._fetched_at = keys, self._clock()
                self.fetches += 1
                log.info("fetched %d signing key(s) from %s", len(keys), self.url)
                return self._held()

    def _held(self) -> tuple[list[dict[str, Any]], int]:
        if self._keys is None:
            raise IdentityProviderUnavailableError(f"the identity provider's keys from {self.url} are not "
                                                   "available; retry shortly")
        return self._keys, self._generation


def _pick(keys: list[dict[str, Any]], kid: str | None, alg: str) -> dict[str, Any] | None:
    if kid is not None:
        return next((k for k in keys if k.get("kid") == kid and fits(k, alg)), None)
    fitting = [k for k in keys if fits(k, alg)]
    return fitting[0] if len(fitting) == 1 else None
