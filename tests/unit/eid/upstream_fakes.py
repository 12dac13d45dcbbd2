"""An upstream for unit tests: keys, a JWKS served through an httpx mock transport
(counting fetches), and id_tokens signed as a test wants them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from ansattporten.eid.upstream.http import UpstreamHttp
from ansattporten.eid.upstream.keys import UpstreamKeys
from ansattporten.eid.upstream.metadata import ProviderMetadata
from ansattporten.settings_eids import EidConfig, EidSettings

ISSUER = "https://op.example"
CLIENT_ID = "broker"
NONCE = "n-0123456789"
JWKS_URI = f"{ISSUER}/jwks"


def config(**changes: Any) -> EidConfig:
    settings = {"kind": "oidc", "issuer": ISSUER, "client_id": CLIENT_ID, "client_secret": "s"}
    return EidSettings(**{**settings, **changes}).resolve("op")  # type: ignore[arg-type]


def metadata(**changes: Any) -> ProviderMetadata:
    values = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/authorize",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": JWKS_URI,
        **changes,
    }
    return ProviderMetadata(**values)


def new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256"}, private=True)


class FakeUpstream:
    """Publishes `published` at JWKS_URI; `fetches` counts the reads."""

    def __init__(self, *keys: RSAKey) -> None:
        self.published: list[RSAKey] = list(keys)
        self.fetches = 0
        self.extra: dict[str, Any] = {}

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        keys = [{**key.as_dict(private=False), **self.extra} for key in self.published]
        return httpx.Response(200, json={"keys": keys})

    def keys(self, cfg: EidConfig) -> UpstreamKeys:
        return UpstreamKeys(cfg, UpstreamHttp(cfg, httpx.MockTransport(self.handler)))


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    values: dict[str, Any] = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "subject-1",
        "iat": now,
        "exp": now + 120,
        "nonce": NONCE,
        "acr": "idporten-loa-substantial",
        "amr": ["TestID"],
        "pid": "23865938772",
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def signed(key: RSAKey | OctKey, body: dict[str, Any], alg: str = "RS256", **header: Any) -> str:
    head = {"alg": alg, "kid": key.kid, **header}
    head = {name: value for name, value in head.items() if value is not None}
    return jwt.encode(head, body, key, algorithms=[alg])


def unsigned(body: dict[str, Any]) -> str:
    import base64

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'kid': 'k1'})}.{part(body)}."


Handler = Callable[[httpx.Request], httpx.Response]
