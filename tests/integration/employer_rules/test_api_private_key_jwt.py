"""A caller of `POST /parties` that authenticates with `private_key_jwt`: a fresh JWT
per request, signed with its key, checked against its JWKS (from a file or from its
`jwks_uri`), each `jti` accepted once."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey
from litestar import Litestar, get

from tests.support.employer_rules import RunningRules, run_employer_rules
from tests.support.servers import serve_in_thread

CALLER = "ansattporten-provider"
KEY = RSAKey.generate_key(2048, parameters={"kid": "caller-1"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "caller-1"})
EC_KEY = ECKey.generate_key("P-256", parameters={"kid": "caller-ec"})
QUESTION = {
    "type": "ansattporten:orgno",
    "client_id": "x",
    "subject": {"email": "nobody@else.example"},
    "detail": {"type": "ansattporten:orgno"},
}


def public_jwks() -> dict[str, Any]:
    return {"keys": [KEY.as_dict(private=False), EC_KEY.as_dict(private=False)]}


def assertion(audience: str, *, key: RSAKey | ECKey = KEY, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "iss": CALLER,
        "sub": CALLER,
        "aud": claims.pop("aud", audience),
        "iat": now,
        "exp": now + 60,
        "jti": secrets.token_urlsafe(16),
        **claims,
    }
    alg = "RS256" if isinstance(key, RSAKey) else "ES256"
    return jwt.encode(
        {"alg": alg, "kid": key.kid or ""}, {k: v for k, v in payload.items() if v is not None}, key
    )


def call(service: RunningRules, token: str) -> httpx.Response:
    return httpx.post(
        f"{service.base_url}/parties",
        json=QUESTION,
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def with_jwks_file(tmp_path: Path, sqlite_url: str) -> Iterator[RunningRules]:
    jwks = tmp_path / "caller-jwks.json"
    jwks.write_text(json.dumps(public_jwks()))
    overrides = {
        "api": {"bearer_tokens": [], "callers": [{"client_id": CALLER, "jwks_file": str(jwks)}]}
    }
    with run_employer_rules(sqlite_url, overrides=overrides) as running:
        yield running


@pytest.fixture
def with_jwks_uri(sqlite_url: str) -> Iterator[RunningRules]:
    @get("/jwks")
    async def jwks() -> dict[str, Any]:
        return public_jwks()

    with serve_in_thread(Litestar([jwks])) as keys_url:
        overrides = {
            "api": {
                "bearer_tokens": [],
                "callers": [{"client_id": CALLER, "jwks_uri": f"{keys_url}/jwks"}],
            }
        }
        with run_employer_rules(sqlite_url, overrides=overrides) as running:
            yield running


def audience(service: RunningRules) -> str:
    return f"{service.base_url}/parties"


@pytest.mark.parametrize("key", [KEY, EC_KEY], ids=["RS256", "ES256"])
def test_a_signed_assertion_is_accepted_once(
    with_jwks_file: RunningRules, key: RSAKey | ECKey
) -> None:
    token = assertion(audience(with_jwks_file), key=key)
    assert call(with_jwks_file, token).status_code == 200
    replay = call(with_jwks_file, token)
    assert replay.status_code == 401
    assert "used before" in replay.json()["error_description"]


def test_keys_from_the_jwks_uri(with_jwks_uri: RunningRules) -> None:
    assert call(with_jwks_uri, assertion(audience(with_jwks_uri))).status_code == 200
    assert call(with_jwks_uri, assertion(audience(with_jwks_uri), key=OTHER_KEY)).status_code == 401


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"aud": "https://elsewhere.example/parties"}, "aud"),
        ({"iss": "someone-else", "sub": "someone-else"}, "iss"),
        ({"sub": "someone-else"}, "sub"),
        ({"exp": int(time.time()) - 120}, "exp"),
        ({"exp": int(time.time()) + 3600}, "300"),
        ({"jti": None}, "jti"),
        ({"exp": None}, "exp"),
    ],
)
def test_a_wrong_assertion_is_refused(
    with_jwks_file: RunningRules, change: dict[str, Any], reason: str
) -> None:
    refused = call(with_jwks_file, assertion(audience(with_jwks_file), **change))
    assert refused.status_code == 401, refused.text
    assert reason in refused.json()["error_description"]


def test_another_key_or_no_signature_is_refused(with_jwks_file: RunningRules) -> None:
    forged = assertion(audience(with_jwks_file), key=OTHER_KEY)
    assert call(with_jwks_file, forged).status_code == 401
    header, payload, _ = assertion(audience(with_jwks_file)).split(".")
    assert call(with_jwks_file, f"{header}.{payload}.").status_code == 401
    for alg in ("none", "HS256"):
        other = base64.urlsafe_b64encode(json.dumps({"alg": alg}).encode()).rstrip(b"=")
        assert call(with_jwks_file, f"{other.decode()}.{payload}.x").status_code == 401


def test_a_bearer_token_is_no_longer_enough(with_jwks_file: RunningRules) -> None:
    assert call(with_jwks_file, "employer-rules-test-token-0123456789abcdef").status_code == 401
