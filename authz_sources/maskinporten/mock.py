"""A stand-in Maskinporten: issuer metadata, its signing keys, and `/token` for JWT
grants from registered clients (see `mock_grants` for the rules and the clients file).

    GET  /.well-known/oauth-authorization-server   RFC 8414 metadata
    GET  /jwk                                       the keys its tokens are signed with
    POST /token   grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<grant>
         200 {"access_token", "token_type": "Bearer", "expires_in", "scope"}
         400 {"error", "error_description"} as Maskinporten answers a refused grant
    GET  /health

The issuer is `issuer` when given, else the URL the request came to, with a trailing
slash as Maskinporten's own (`https://test.maskinporten.no/`). Access tokens are
self-contained JWTs with Maskinporten's claims (`client_id`, `client_amr`, `consumer`,
`scope`, ...) and live `token_lifetime` seconds: tests make that short to exercise
renewal. `token_requests` in the app state counts every POST to /token.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec
from joserfc import jwt
from joserfc.jwk import RSAKey
from litestar import Litestar, Request, Response, get, post
from litestar.datastructures import State

from authz_sources.maskinporten.assertion import GRANT_TYPE
from authz_sources.maskinporten.mock_grants import ALGORITHMS, Accepted, Clients, GrantRefused

MAX_FORM_BYTES = 64_000


class MockState:
    """What one mock instance knows: its key, its clients and a request counter."""

    def __init__(self, clients: Clients, token_lifetime: int, issuer: str | None) -> None:
        self.clients = clients
        self.token_lifetime = token_lifetime
        self.issuer = issuer
        self.key = RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex}, private=True)
        self.token_requests = 0


def _state(request: Request[Any, Any, Any]) -> MockState:
    state: MockState = request.app.state["maskinporten"]
    return state


def _issuer(request: Request[Any, Any, Any]) -> str:
    configured = _state(request).issuer
    return configured or str(request.base_url).rstrip("/") + "/"


def _json(body: Any, status: int = 200) -> Response[bytes]:
    return Response(msgspec.json.encode(body), status_code=status, media_type="application/json")


@get("/.well-known/oauth-authorization-server")
async def metadata(request: Request[Any, Any, Any]) -> Response[bytes]:
    issuer = _issuer(request)
    return _json(
        {
            "issuer": issuer,
            "token_endpoint": issuer + "token",
            "jwks_uri": issuer + "jwk",
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "grant_types_supported": [GRANT_TYPE],
            "token_endpoint_auth_signing_alg_values_supported": ALGORITHMS,
        }
    )


@get("/jwk")
async def jwks(request: Request[Any, Any, Any]) -> Response[bytes]:
    key = _state(request).key
    public = key.as_dict(private=False)
    return _json({"keys": [{**public, "use": "sig", "alg": "RS256"}]})


@post("/token", status_code=200)
async def token(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Check the grant and issue an access token."""
    state = _state(request)
    state.token_requests += 1
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _refusal(GrantRefused("invalid_request", "request too large"))
    form = await request.form()
    if form.get("grant_type") != GRANT_TYPE:
        return _refusal(GrantRefused("unsupported_grant_type", "only the JWT-bearer grant"))
    assertion = form.get("assertion")
    if not isinstance(assertion, str) or not assertion:
        return _refusal(GrantRefused("invalid_request", "MP-011 assertion is missing"))
    issuer = _issuer(request)
    try:
        accepted = state.clients.check(assertion, issuer)
    except GrantRefused as refused:
        return _refusal(refused)
    return _json(_issue(state, issuer, accepted))


def _issue(state: MockState, issuer: str, accepted: Accepted) -> dict[str, Any]:
    now = int(time.time())
    scope = " ".join(accepted.scopes)
    claims = {
        "iss": issuer,
        "client_amr": accepted.amr,
        "token_type": "Bearer",
        "client_id": accepted.client.client_id,
        "consumer": {"authority": "iso6523-actorid-upis", "ID": f"0192:{accepted.client.orgno}"},
        "scope": scope,
        "iat": now,
        "exp": now + state.token_lifetime,
        "jti": uuid.uuid4().hex,
    }
    header = {"alg": "RS256", "kid": state.key.kid}
    return {
        "access_token": jwt.encode(header, claims, state.key),
        "token_type": "Bearer",
        "expires_in": state.token_lifetime,
        "scope": scope,
    }


def _refusal(refused: GrantRefused) -> Response[bytes]:
    return _json({"error": refused.error, "error_description": str(refused)}, refused.status)


@get("/health", media_type="text/plain")
async def health() -> str:
    return "ok"


def create_mock_maskinporten(
    clients: Path | Mapping[str, Any],
    *,
    token_lifetime: int = 120,
    issuer: str | None = None,
    delay_ms: int = 0,
) -> Litestar:
    """Build the mock (clients validated now: ValueError if the file is bad)."""
    if token_lifetime <= 0:
        raise ValueError("token_lifetime must be positive")
    raw: Any = json.loads(clients.read_text("utf-8")) if isinstance(clients, Path) else clients
    state = MockState(Clients.load(raw), token_lifetime, issuer)

    async def before_request(_: Request[Any, Any, Any]) -> None:
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)

    return Litestar(
        route_handlers=[metadata, jwks, token, health],
        before_request=before_request,
        state=State({"maskinporten": state}),
        openapi_config=None,
    )


def token_requests(app: Litestar) -> int:
    """How many token requests an app made by `create_mock_maskinporten` has served."""
    state: MockState = app.state["maskinporten"]
    return state.token_requests
