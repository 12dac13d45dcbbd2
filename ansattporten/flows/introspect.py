"""POST /token/introspect (RFC 7662): what a client or an API learns about a token.

1. the caller authenticates like at /token, and must be a confidential client
   (`client_auth.authenticate_token_call`)
2. an access token of ours: its claims, if it is alive (a DPoP-bound one with its
   `cnf`, token_type DPoP, so the API can demand the proof: RFC 9449 6.2)
3. else a refresh token: its real state (RFC 7662 2.2), but only to the client that
   holds it (no API ever sees a refresh token, so nobody else has a reason to ask)
4. anything else - unknown, expired, revoked, used, another client's refresh token - is
   simply `{"active": false}`, never an error that tells why

`authorization_details` is a top-level member, as RFC 9396 9 asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ansattporten.errors import InvalidToken
from ansattporten.flows.bearer import MAX_TOKEN_LENGTH, verify_access_token
from ansattporten.flows.client_auth import authenticate_token_call
from ansattporten.flows.context import Provider
from ansattporten.outcomes import JsonBody
from ansattporten.records import Client
from ansattporten.records.ids import hashed

NO_STORE = {"Cache-Control": "no-store"}
INACTIVE: dict[str, Any] = {"active": False}


async def introspect(
    provider: Provider, pairs: Iterable[tuple[str, str]], authorization: str | None
) -> JsonBody:
    client, token = await authenticate_token_call(
        provider, pairs, authorization, confidential_only=True
    )
    token = token[:MAX_TOKEN_LENGTH]
    state = await access_token_state(provider, token) or await refresh_token_state(
        provider, client, token
    )
    return JsonBody(state or INACTIVE, headers=NO_STORE)


async def access_token_state(provider: Provider, token: str) -> dict[str, Any] | None:
    try:
        claims = await verify_access_token(provider, token)
    except InvalidToken:
        return None
    token_type = "DPoP" if "cnf" in claims else "Bearer"
    return {"active": True, "token_type": token_type, **claims}


async def refresh_token_state(
    provider: Provider, client: Client, token: str
) -> dict[str, Any] | None:
    """A refresh token the asking client holds, unused, unexpired, of a live grant."""
    now = provider.clock()
    record = await provider.store.find_refresh_token(hashed(token))
    if record is None or record.client_id != client.client_id:
        return None
    if record.used_at is not None or record.expires_at <= now:
        return None
    grant = await provider.store.get_grant(record.grant_id)
    if grant is None or grant.revoked_at is not None or grant.expires_at <= now:
        return None
    state: dict[str, Any] = {
        "active": True,
        "token_type": "refresh_token",
        "iss": provider.issuer,
        "client_id": record.client_id,
        "sub": grant.sub,
        "scope": grant.claims.scope,
        "iat": int(record.created_at),
        "exp": int(min(record.expires_at, grant.expires_at)),
    }
    if grant.authorization_details is not None:
        state["authorization_details"] = grant.authorization_details
    return state
