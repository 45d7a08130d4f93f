"""An OpenID Connect issuer for tests: locally generated RSA and EC signing keys, their JWKS served by a real
HTTP server on 127.0.0.1, and tokens minted with them.

    with FakeIssuer() as idp:                      # an RSA key "rsa-1" and an EC P-256 key "ec-1"
        settings = OIDCSettings(**idp.settings())  # issuer, audience, jwks_url
        token = idp.token(sub="alice", scope="user/*.read")            # RS256, valid for 5 minutes
        token = idp.token(kid="ec-1", alg="ES256", exp_in=-120)       # expired two minutes ago
        idp.rotate()                               # a new RSA key "rsa-2" replaces the served set
        idp.jwks_requests                          # how many times the JWKS was fetched
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://idp.example.org/realms/hospital"
AUDIENCE = "clinqa-api"

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def new_rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def new_ec() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_jwk(kid: str, key: PrivateKey) -> dict[str, Any]:
    if isinstance(key, rsa.RSAPrivateKey):
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    else:
        jwk = json.loads(ECAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "use": "sig"}


class FakeIssuer:
    def __init__(self, issuer: str = ISSUER, audience: str = AUDIENCE) -> None:
        self.issuer = issuer
        self.audience = audience
        self.keys: dict[str, PrivateKey] = {"rsa-1": new_rsa(), "ec-1": new_ec()}
        self.served: list[str] = list(self.keys)  # the kids the JWKS lists
        self.extra_jwks: list[dict[str, Any]] = []  # raw entries served too (e.g. an oct key)
        self.status = 200
        self.jwks_requests = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- the HTTP side ------------------------------------------------------------------------------
    def __enter__(self) -> FakeIssuer:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with issuer._lock:
                    issuer.jwks_requests += 1
                    status, body = issuer.status, json.dumps(issuer.jwks()).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def jwks_url(self) -> str:
        assert self._server is not None, "use FakeIssuer as a context manager"
        return f"http://127.0.0.1:{self._server.server_address[1]}/protocol/openid-connect/certs"

    def jwks(self) -> dict[str, Any]:
        return {"keys": [public_jwk(kid, self.keys[kid]) for kid in self.served] + self.extra_jwks}

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """The CLINQA_OIDC__* values for this issuer, as OIDCSettings keyword arguments."""
        return {"issuer": self.issuer, "audience": self.audience, "jwks_url": self.jwks_url, **overrides}

    def rotate(self) -> str:
        """A new RSA key replaces the served set (the old keys are no longer listed); its kid."""
        kid = f"rsa-{len(self.keys) + 1}"
        self.keys[kid] = new_rsa()
        with self._lock:
            self.served = [kid]
        return kid

    # -- tokens -------------------------------------------------------------------------------------
    def claims(self, sub: str | None = "alice", scope: str | None = "user/*.read", exp_in: float = 300,
               **extra: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {"iss": self.issuer, "aud": self.audience, "iat": now, "exp": now + int(exp_in)}
        if sub is not None:
            claims["sub"] = sub
        if scope is not None:
            claims["scope"] = scope
        claims.update(extra)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict[str, Any], kid: str | None = "rsa-1", alg: str = "RS256",
             key: PrivateKey | None = None) -> str:
        headers = {"kid": kid} if kid is not None else {}
        signing_key = key if key is not None else self.keys[kid or "rsa-1"]
        return jwt.encode(claims, signing_key, algorithm=alg, headers=headers)

    def token(self, kid: str | None = "rsa-1", alg: str = "RS256", **claims: Any) -> str:
        return self.sign(self.claims(**claims), kid, alg)
