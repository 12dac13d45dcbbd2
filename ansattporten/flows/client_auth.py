"""Client authentication at the back-channel endpoints (/par, /token, introspection and
revocation).

A client must use the method it registered: a confidential client cannot fall back to
`none`, and a public client cannot present a secret. Presenting two methods at once is
refused (RFC 6749 2.3).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping

from ansattporten.errors import InvalidClient, InvalidRequest
from ansattporten.flows.client_keys import client_jwks
from ansattporten.flows.clients import find_client, secret_matches
from ansattporten.flows.context import Provider
from ansattporten.records import Client
from ansattporten.spec.rfc6749 import parse_basic_auth, single_valued
from ansattporten.spec.rfc7523 import (
    ASSERTION_TYPE,
    check_assertion_claims,
    decode_client_assertion,
)

CLIENT_CREDENTIALS = frozenset(
    {"client_id", "client_secret", "client_assertion", "client_assertion_type"}
)
TOKEN_CALL_PARAMETERS = frozenset({"token", "token_type_hint", *CLIENT_CREDENTIALS})
"""What introspection (RFC 7662) and revocation (RFC 7009) read."""


async def authenticate_token_call(
    provider: Provider,
    pairs: Iterable[tuple[str, str]],
    authorization: str | None,
    *,
    confidential_only: bool = False,
) -> tuple[Client, str]:
    """Introspection and revocation: the client authenticates, then names a `token`.
    `confidential_only`: a public client proves nothing but a client_id anyone can read,
    so it may not (RFC 7662 2.1: introspection open to it would let anyone scan tokens)."""
    params = single_valued(pairs, names=TOKEN_CALL_PARAMETERS)
    client = await authenticate_client(provider, params, authorization)
    if confidential_only and client.auth_method == "none":
        raise InvalidClient("introspection needs an authenticated client")
    token = params.get("token")
    if not token:
        raise InvalidRequest("token is required")
    return client, token


async def authenticate_client(
    provider: Provider, params: Mapping[str, str], authorization: str | None
) -> Client:
    method, client_id, secret = presented_credentials(params, authorization)
    client = await find_client(provider.store, client_id[:200])
    if client is None:
        raise InvalidClient("client authentication failed")
    if method != client.auth_method:
        raise InvalidClient(f"this client must authenticate with {client.auth_method}")
    if method in ("client_secret_basic", "client_secret_post") and not await secret_matches(
        client, secret or ""
    ):
        raise InvalidClient("client authentication failed")
    if method == "private_key_jwt":
        await check_client_assertion(provider, client, params)
    return client


async def check_client_assertion(
    provider: Provider, client: Client, params: Mapping[str, str]
) -> None:
    """RFC 7523: signed by a key the client registered, for us, short-lived, and never
    seen before (its jti is remembered until it expires)."""
    if params.get("client_assertion_type") != ASSERTION_TYPE:
        raise InvalidClient(f"client_assertion_type must be {ASSERTION_TYPE}")
    jwks = await client_jwks(client, provider.settings.jwks_uri_allowed_networks)
    claims = decode_client_assertion(params.get("client_assertion", ""), jwks)
    now = provider.clock()
    jti, exp = check_assertion_claims(
        claims, client_id=client.client_id, issuer=provider.issuer, now=int(now)
    )
    if not await provider.store.remember_assertion(f"{client.client_id}:{jti}", exp, now):
        raise InvalidClient("client_assertion has been used before")


def presented_credentials(
    params: Mapping[str, str], authorization: str | None
) -> tuple[str, str, str | None]:
    """(method, client_id, secret) from what the request carries."""
    methods: list[tuple[str, str, str | None]] = []
    if authorization and authorization[:6].lower() == "basic ":
        client_id, secret = parse_basic_auth(authorization)
        methods.append(("client_secret_basic", client_id, secret))
    if "client_secret" in params:
        methods.append(("client_secret_post", params.get("client_id", ""), params["client_secret"]))
    if "client_assertion" in params:
        methods.append(("private_key_jwt", assertion_issuer(params), None))
    if len(methods) > 1:
        raise InvalidRequest("use exactly one client authentication method")
    if methods:
        method, client_id, secret_or_none = methods[0]
        form_client_id = params.get("client_id")
        if form_client_id is not None and form_client_id != client_id:
            raise InvalidClient("client_id does not match the authenticated client")
        if not client_id:
            raise InvalidClient("client_id is required")
        return method, client_id, secret_or_none
    client_id = params.get("client_id", "")
    if not client_id:
        raise InvalidClient("client authentication is required")
    return "none", client_id, None


def assertion_issuer(params: Mapping[str, str]) -> str:
    """The client an assertion claims to come from (its unverified `iss`), when the
    request does not name client_id; the signature check decides whether it is true."""
    if params.get("client_id"):
        return params["client_id"]
    try:
        payload = params["client_assertion"].split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return str(claims.get("iss", ""))[:200] if isinstance(claims, dict) else ""
    except (IndexError, ValueError, UnicodeDecodeError):
        return ""
