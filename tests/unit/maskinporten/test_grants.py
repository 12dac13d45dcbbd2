"""The JWT grant our client builds, checked by the mock Maskinporten's rules."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from joserfc import jwt

from authz_sources.maskinporten.assertion import build_grant
from authz_sources.maskinporten.keys import SigningKey, load_certificate, load_key_file
from authz_sources.maskinporten.mock_grants import Clients, GrantRefused
from tests.support.maskinporten_keys import SCOPES, ClientKeys

ISSUER = "https://test.maskinporten.no/"
SCOPE = " ".join(SCOPES)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> ClientKeys:
    return ClientKeys(tmp_path_factory.mktemp("grants"))


@pytest.fixture(scope="module")
def key(keys: ClientKeys) -> SigningKey:
    return load_key_file("maskinporten_key", str(keys.jwk_file), None)


@pytest.fixture
def clients(keys: ClientKeys) -> Clients:
    return Clients.load(keys.clients())


def segment(part: str) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def parts(grant: str) -> tuple[dict[str, Any], dict[str, Any]]:
    head, body, _ = grant.split(".")
    return segment(head), segment(body)


def test_grant_claims(key: SigningKey) -> None:
    before = int(time.time())
    grant = build_grant(key, client_id="c", audience=ISSUER, scope=SCOPE)
    header, claims = parts(grant)
    assert header["alg"] == "RS256"
    assert header["kid"] == key.kid
    assert "x5c" not in header
    assert claims["iss"] == "c"
    assert claims["aud"] == ISSUER
    assert claims["scope"] == SCOPE
    assert before <= claims["iat"] <= before + 2
    assert 0 < claims["exp"] - claims["iat"] <= 120
    assert (
        claims["jti"]
        != parts(build_grant(key, client_id="c", audience=ISSUER, scope=SCOPE))[1]["jti"]
    )


def test_grant_lifetime_is_bounded(key: SigningKey) -> None:
    with pytest.raises(ValueError, match=r"1\.\.120"):
        build_grant(key, client_id="c", audience=ISSUER, scope=SCOPE, lifetime=121)


def test_registered_key_is_accepted(keys: ClientKeys, key: SigningKey, clients: Clients) -> None:
    grant = build_grant(key, client_id=keys.client_id, audience=ISSUER, scope=SCOPE)
    accepted = clients.check(grant, ISSUER)
    assert accepted.client.client_id == keys.client_id
    assert accepted.scopes == SCOPES
    assert accepted.amr == "private_key_jwt"


def test_business_certificate_is_accepted(keys: ClientKeys, clients: Clients) -> None:
    cert = load_certificate("maskinporten_certificate", str(keys.p12_file), keys.password)
    grant = build_grant(cert, client_id=keys.client_id, audience=ISSUER, scope=SCOPE)
    assert "x5c" in parts(grant)[0]
    assert clients.check(grant, ISSUER).amr == "virksomhetssertifikat"


def test_a_grant_is_used_once(keys: ClientKeys, key: SigningKey, clients: Clients) -> None:
    grant = build_grant(key, client_id=keys.client_id, audience=ISSUER, scope=SCOPE)
    clients.check(grant, ISSUER)
    with pytest.raises(GrantRefused, match="MP-012"):
        clients.check(grant, ISSUER)


def test_unregistered_key_is_refused(
    keys: ClientKeys, clients: Clients, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = ClientKeys(tmp_path_factory.mktemp("other"))
    wrong = load_key_file("maskinporten_key", str(other.jwk_file), keys.kid)
    grant = build_grant(wrong, client_id=keys.client_id, audience=ISSUER, scope=SCOPE)
    with pytest.raises(GrantRefused, match="MP-120") as refused:
        clients.check(grant, ISSUER)
    assert refused.value.error == "invalid_grant"
    uncertified = load_certificate("c", str(other.p12_file), other.password)
    with pytest.raises(GrantRefused, match="MP-120"):
        clients.check(
            build_grant(uncertified, client_id=keys.client_id, audience=ISSUER, scope=SCOPE),
            ISSUER,
        )


@pytest.mark.parametrize(
    ("change", "code", "error"),
    [
        ({"iss": "someone-else"}, "MP-100", "invalid_grant"),
        ({"aud": "https://maskinporten.no/"}, "MP-110", "invalid_grant"),
        ({"scope": "altinn:instances.read"}, "MP-200", "invalid_scope"),
        ({"iat": 0, "exp": 60}, "iat is not within 10 s", "invalid_grant"),
        ({"exp_delta": 300}, "exceeds 120 s", "invalid_grant"),
    ],
)
def test_bad_claims_are_refused(
    keys: ClientKeys,
    key: SigningKey,
    clients: Clients,
    change: dict[str, Any],
    code: str,
    error: str,
) -> None:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": keys.client_id,
        "aud": ISSUER,
        "scope": SCOPE,
        "iat": now,
        "exp": now + 60,
        "jti": "x" + str(now) + code,
    }
    delta = change.pop("exp_delta", None)
    claims.update(change)
    if delta is not None:
        claims["exp"] = claims["iat"] + delta
    grant = jwt.encode(key.header(), claims, key.key)
    with pytest.raises(GrantRefused, match=code) as refused:
        clients.check(grant, ISSUER)
    assert refused.value.error == error


def test_clients_file_is_validated() -> None:
    with pytest.raises(ValueError, match="mock Maskinporten clients"):
        Clients.load({"clients": [{"client_id": "c", "orgno": "12", "scopes": []}]})
