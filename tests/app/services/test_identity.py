"""OpenID Connect tokens (app/services/identity.py, app/services/jwks.py) against a real issuer on loopback:
locally generated RSA and EC keys, the JWKS served over HTTP, tokens minted and checked."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from pydantic import ValidationError

from app.api.errors import as_problem
from app.config import OIDCSettings
from app.services.identity import ClaimMapping, TokenRejectedError, TokenVerifier, looks_like_jwt
from app.services.jwks import IdentityProviderUnavailableError, JwksCache
from app.services.keys import Principal
from tests.fakes.oidc_issuer import FakeIssuer, new_rsa


@pytest.fixture()
def idp() -> Iterator[FakeIssuer]:
    with FakeIssuer() as issuer:
        yield issuer


def verifier(idp: FakeIssuer, **overrides: Any) -> TokenVerifier:
    return TokenVerifier.of(OIDCSettings(**idp.settings(**overrides)))


def rejected(v: TokenVerifier, token: str) -> str:
    with pytest.raises(TokenRejectedError) as caught:
        v.verify(token)
    return caught.value.reason


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict[str, Any], claims: dict[str, Any], sign: bytes | None = None) -> str:
    """A token assembled by hand: `sign` the HMAC-SHA256 secret (None: an empty signature)."""
    head = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(sign, head.encode(), hashlib.sha256).digest() if sign is not None else b""
    return f"{head}.{b64(signature)}"


# -- accepted ---------------------------------------------------------------------------------------

def test_rsa_and_ec_tokens_are_accepted(idp: FakeIssuer) -> None:
    v = verifier(idp)
    for kid, alg in (("rsa-1", "RS256"), ("ec-1", "ES256")):
        p = v.verify(idp.token(kid=kid, alg=alg, sub="alice", scope="openid user/*.read"))
        assert (p.subject, p.issuer, p.key_id, p.patient_ids) == ("alice", idp.issuer, None, None)
        assert p.scopes == {"chat", "records:read"}


def test_a_token_without_kid_uses_the_one_fitting_key(idp: FakeIssuer) -> None:
    assert verifier(idp).verify(idp.sign(idp.claims(), kid=None, key=idp.keys["ec-1"], alg="ES256")).subject == "alice"


def test_expiry_is_checked_with_the_leeway(idp: FakeIssuer) -> None:
    v = verifier(idp, leeway_s=60)
    assert v.verify(idp.token(exp_in=-30)).subject == "alice"  # 30 s past: within the clock skew
    assert rejected(v, idp.token(exp_in=-120)) == "expired"
    assert rejected(verifier(idp, leeway_s=0), idp.token(exp_in=-30)) == "expired"


# -- rejected ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("claims", "reason"), [
    ({"aud": "another-app"}, "audience"),
    ({"aud": None}, "missing_claim"),
    ({"iss": "https://evil.example.org"}, "issuer"),
    ({"sub": None}, "missing_claim"),
    ({"sub": ""}, "subject"),
    ({"sub": "x" * 256}, "subject"),
    ({"exp": None}, "missing_claim"),
    ({"nbf": 4_000_000_000}, "not_yet_valid"),
    ({"iat": 4_000_000_000}, "not_yet_valid"),
])
def test_claims_that_reject_a_token(idp: FakeIssuer, claims: dict[str, Any], reason: str) -> None:
    assert rejected(verifier(idp), idp.token(**claims)) == reason


def test_a_token_signed_by_another_key_is_rejected(idp: FakeIssuer) -> None:
    v = verifier(idp)
    forged = idp.sign(idp.claims(), kid="rsa-1", key=new_rsa())  # the issuer's kid, an attacker's key
    assert rejected(v, forged) == "signature"
    head, _claims, sig = idp.token(sub="alice").split(".")
    other = b64(json.dumps({**idp.claims(), "sub": "mallory"}).encode())
    assert rejected(v, f"{head}.{other}.{sig}") == "signature"  # claims changed after signing


def test_unknown_keys_and_keys_of_another_type_are_rejected(idp: FakeIssuer) -> None:
    v = verifier(idp)
    assert rejected(v, idp.sign(idp.claims(), kid="nope", key=idp.keys["rsa-1"])) == "unknown_key"
    # an RS256 token naming the EC key's id: no RS256 key has that id
    assert rejected(v, idp.sign(idp.claims(), kid="ec-1", key=idp.keys["rsa-1"])) == "unknown_key"


def test_alg_none_is_rejected(idp: FakeIssuer) -> None:
    v = verifier(idp)
    for alg in ("none", "None", "NONE"):
        assert rejected(v, hand_made({"alg": alg, "kid": "rsa-1"}, idp.claims())) == "algorithm"
    assert rejected(v, jwt.encode(idp.claims(), "", algorithm="none")) == "algorithm"


def test_hs256_signed_with_the_public_key_is_rejected(idp: FakeIssuer) -> None:
    """Algorithm confusion: the attacker signs with HMAC, using the issuer's public key as the secret."""
    public = idp.keys["rsa-1"].public_key().public_bytes(serialization.Encoding.PEM,
                                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    token = hand_made({"alg": "HS256", "kid": "rsa-1", "typ": "JWT"}, idp.claims(), sign=public)
    assert rejected(verifier(idp), token) == "algorithm"
    # even with HS256 forced into the allow-list (the settings refuse it), no key of the set checks it
    forced = OIDCSettings.model_construct(**{**OIDCSettings(**idp.settings()).model_dump(), "algorithms": ["HS256"]})
    assert rejected(TokenVerifier.of(forced), token) == "unknown_key"


def test_a_symmetric_key_in_the_jwks_is_never_used(idp: FakeIssuer) -> None:
    secret = b"shared-secret-of-32-bytes-length!"
    idp.extra_jwks = [{"kty": "oct", "kid": "shared", "k": b64(secret), "alg": "HS256"}]
    forced = OIDCSettings.model_construct(**{**OIDCSettings(**idp.settings()).model_dump(), "algorithms": ["HS256"]})
    token = hand_made({"alg": "HS256", "kid": "shared"}, idp.claims(), sign=secret)
    assert rejected(TokenVerifier.of(forced), token) == "unknown_key"


def test_algorithms_outside_the_allow_list_are_rejected(idp: FakeIssuer) -> None:
    v = verifier(idp, algorithms=["RS256"])
    assert rejected(v, idp.token(kid="ec-1", alg="ES256")) == "algorithm"
    assert v.verify(idp.token()).subject == "alice"


def test_malformed_tokens(idp: FakeIssuer) -> None:
    v = verifier(idp)
    assert rejected(v, "aaa.bbb.ccc") == "malformed"
    assert rejected(v, "x" * 20_000 + ".a.b") == "malformed"
    assert rejected(v, hand_made({"alg": "RS256", "kid": 7}, idp.claims())) == "malformed"


def test_keys_named_by_the_token_itself_are_not_fetched(idp: FakeIssuer) -> None:
    attacker = new_rsa()
    with FakeIssuer() as evil:
        token = jwt.encode(idp.claims(), attacker, algorithm="RS256",
                           headers={"kid": "evil", "jku": evil.jwks_url})
        assert rejected(verifier(idp), token) == "unknown_key"
        assert evil.jwks_requests == 0


# -- claims -> scopes and the patient limit --------------------------------------------------------

def test_smart_patient_scopes_limit_to_the_patient_claim(idp: FakeIssuer) -> None:
    v = verifier(idp)
    p = v.verify(idp.token(scope="launch/patient patient/*.read", patient="p-17"))
    assert p.patient_ids == frozenset({"p-17"}) and p.scopes == {"chat", "records:read"}
    assert p.may_read_records_of("p-17") and not p.may_read_records_of("p-18")
    assert rejected(v, idp.token(scope="patient/*.read")) == "patient"  # no patient claim
    assert rejected(v, idp.token(scope="patient/*.rs", patient=["p-17"])) == "patient"
    wide = v.verify(idp.token(scope="patient/*.read user/*.read", patient="p-17"))
    assert wide.patient_ids is None  # a user/ scope reads every patient


def test_unmapped_scopes_grant_nothing_and_roles_map(idp: FakeIssuer) -> None:
    v = verifier(idp, roles_claim="realm_access.roles", role_map={"clinqa-admin": ["admin"]},
                 scope_map={"clinqa.chat": ["chat"]})
    assert v.verify(idp.token(scope="openid profile user/*.read")).scopes == frozenset()
    p = v.verify(idp.token(scope="clinqa.chat", realm_access={"roles": ["clinqa-admin", "offline_access"]}))
    assert p.scopes == {"chat", "admin"}
    assert v.verify(idp.token(scope=None, scp=["clinqa.chat"])).scopes == frozenset()  # another claim name
    assert verifier(idp, scope_claim="scp", scope_map={"clinqa.chat": ["chat"]}).verify(
        idp.token(scope=None, scp=["clinqa.chat"])).scopes == {"chat"}


def test_conversation_owner_is_issuer_and_subject() -> None:
    mapping = ClaimMapping.of(OIDCSettings())
    a = mapping.principal({"iss": "https://a", "sub": "alice"})
    assert a.owner == mapping.principal({"iss": "https://a", "sub": "alice"}).owner
    assert a.owner != mapping.principal({"iss": "https://b", "sub": "alice"}).owner
    assert a.owner != mapping.principal({"iss": "https://a", "sub": "alice2"}).owner
    assert a.owner is not None and a.owner.startswith("oidc:") and len(a.owner) <= 64
    assert Principal(key_id="k1", scopes=frozenset()).owner == "k1"


def test_looks_like_jwt() -> None:
    assert looks_like_jwt("a.b.c") and looks_like_jwt("a.b.")  # an unsigned token is still a JWT to reject
    assert not looks_like_jwt("cq_abc_def") and not looks_like_jwt("a.b") and not looks_like_jwt(".b.c")


# -- the JWKS cache ---------------------------------------------------------------------------------

def test_the_jwks_is_fetched_once_for_many_tokens(idp: FakeIssuer) -> None:
    v = verifier(idp)
    for i in range(20):
        v.verify(idp.token(sub=f"user-{i}", kid="rsa-1" if i % 2 else "ec-1", alg="RS256" if i % 2 else "ES256"))
    assert idp.jwks_requests == 1


def test_key_rotation_refetches_and_unknown_kids_are_rate_limited(idp: FakeIssuer) -> None:
    now = [1000.0]
    v = TokenVerifier(OIDCSettings(**idp.settings()), JwksCache(idp.jwks_url, refetch_s=30, clock=lambda: now[0]))
    v.verify(idp.token())
    new_kid = idp.rotate()
    now[0] += 31
    assert v.verify(idp.token(kid=new_kid)).subject == "alice"  # an unknown kid: one refetch finds it
    assert idp.jwks_requests == 2
    for i in range(10):  # made-up kids within the refetch interval: no request reaches the issuer
        assert rejected(v, idp.sign(idp.claims(), kid=f"made-up-{i}", key=idp.keys[new_kid])) == "unknown_key"
    assert idp.jwks_requests == 2
    assert rejected(v, idp.token(kid="rsa-1")) == "unknown_key"  # the retired key is gone
    now[0] += 31
    for i in range(10):  # the next interval: one refetch, however many tokens
        rejected(v, idp.sign(idp.claims(), kid=f"again-{i}", key=idp.keys[new_kid]))
    assert idp.jwks_requests == 3


def test_the_cache_expires_and_survives_an_issuer_outage(idp: FakeIssuer) -> None:
    now = [1000.0]
    cache = JwksCache(idp.jwks_url, ttl_s=600, refetch_s=30, clock=lambda: now[0])
    settings = OIDCSettings(**idp.settings())
    v = TokenVerifier(settings, cache)
    v.verify(idp.token())
    now[0] += 599
    v.verify(idp.token())
    assert idp.jwks_requests == 1
    now[0] += 2  # past the TTL: refetched
    v.verify(idp.token())
    assert idp.jwks_requests == 2
    idp.status = 503
    now[0] += 601  # expired, and the issuer is down: the keys held stay in use
    assert v.verify(idp.token()).subject == "alice"
    assert idp.jwks_requests == 3
    v.verify(idp.token())  # the failed refetch backs off
    assert idp.jwks_requests == 3


def test_no_keys_at_all_is_a_503(idp: FakeIssuer) -> None:
    idp.status = 500
    v = verifier(idp)
    with pytest.raises(IdentityProviderUnavailableError) as caught:
        v.verify(idp.token())
    problem = as_problem(caught.value)
    assert (problem.status, problem.title) == (503, "Identity provider unavailable")
    assert problem.extra["retry_after"] > 0


def test_an_unreachable_issuer_is_a_503() -> None:
    cache = JwksCache("http://127.0.0.1:9/jwks", timeout_s=0.5)
    with pytest.raises(IdentityProviderUnavailableError):
        cache.key_for("k", "RS256")


# -- settings -------------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides", [
    {"algorithms": ["HS256"]}, {"algorithms": ["none"]}, {"algorithms": []},
    {"audience": ""}, {"jwks_url": "http://idp.example.org/certs"},
    {"scope_map": {"patient/*.read": ["everything"]}},
])
def test_settings_refuse_unsafe_values(overrides: dict[str, Any]) -> None:
    base = {"issuer": "https://idp", "audience": "clinqa", "jwks_url": "https://idp/certs"}
    with pytest.raises(ValidationError):
        OIDCSettings(**{**base, **overrides})


def test_off_unless_issuer_and_jwks_url_are_set() -> None:
    assert not OIDCSettings().enabled
    assert not OIDCSettings(issuer="https://idp").enabled
    assert OIDCSettings(issuer="https://idp", jwks_url="https://idp/certs", audience="clinqa").enabled
