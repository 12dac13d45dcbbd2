"""POST /token: the authorization code grant and the refresh token grant.

authorization_code
1. read the form (each parameter once) and the grant type
2. authenticate the client with its registered method
3. consume the code - exactly once, even under concurrent redemption
4. the code must belong to this client and this redirect_uri
5. PKCE: the verifier must hash to the challenge
6. sign the id_token and the access token; both carry `authorization_details`, and so
   does the response (RFC 9396 7); a refresh token when the client may refresh

refresh_token
1. authenticate the client (never `none`: a public client cannot hold refresh tokens)
2. trade the refresh token for a new one, once; a reused one revokes the whole grant
3. sign a new access token with the grant's claims and `authorization_details` as
   granted at login (or as the registers say now, when `refresh_rechecks_sources`)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ansattporten.errors import (
    InvalidGrant,
    InvalidRequest,
    UnauthorizedClient,
    UnsupportedGrantType,
)
from ansattporten.flows.client_auth import CLIENT_CREDENTIALS, authenticate_client
from ansattporten.flows.context import Provider
from ansattporten.flows.refresh_recheck import recheck_details
from ansattporten.flows.token_signing import sign_tokens
from ansattporten.outcomes import JsonBody
from ansattporten.records import Client, Code, RefreshToken
from ansattporten.records.ids import hashed, new_id
from ansattporten.spec import rfc7636
from ansattporten.spec.rfc6749 import single_valued

GRANT_TYPES = ("authorization_code", "refresh_token")
TOKEN_PARAMETERS = frozenset(
    {
        "grant_type",
        "code",
        "redirect_uri",
        "code_verifier",
        "refresh_token",
        "scope",
        "authorization_details",
        *CLIENT_CREDENTIALS,
    }
)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def token(
    provider: Provider, pairs: Iterable[tuple[str, str]], authorization: str | None
) -> JsonBody:
    params = single_valued(pairs, names=TOKEN_PARAMETERS)
    grant_type = params.get("grant_type")
    if not grant_type:
        raise InvalidRequest("grant_type is required")
    if grant_type not in GRANT_TYPES:
        raise UnsupportedGrantType("grant_type must be authorization_code or refresh_token")
    client = await authenticate_client(provider, params, authorization)
    if grant_type == "refresh_token":
        return await refresh(provider, client, params)
    code = await consume_code(provider, params)
    check_code_belongs_to(code, client, params)
    check_pkce(code, params)
    claims = code.claims
    body = sign_tokens(
        provider,
        client,
        code.grant_id,
        claims,
        claims.authorization_details,
        nonce=claims.nonce,
    )
    if may_refresh(client):
        body.update(
            await new_refresh_token(provider, client, code.grant_id, grant_end(provider, code))
        )
    return JsonBody(body, headers=NO_STORE)


async def refresh(provider: Provider, client: Client, params: dict[str, str]) -> JsonBody:
    if not may_refresh(client):
        raise UnauthorizedClient("this client may not use refresh tokens")
    presented = params.get("refresh_token")
    if not presented:
        raise InvalidRequest("refresh_token is required")
    now = provider.clock()
    successor, token = refresh_token_for(provider, client, grant_id="", now=now)
    grant = await provider.store.rotate_refresh_token(
        hashed(presented), client.client_id, successor, now
    )
    if grant is None:
        raise InvalidGrant("the refresh token is invalid, expired, revoked or already used")
    details = grant.authorization_details
    if provider.settings.refresh_rechecks_sources:
        details = await recheck_details(provider, grant)
    body = sign_tokens(provider, client, grant.id, grant.claims, details, nonce=None)
    body["refresh_token"] = token
    body["refresh_token_expires_in"] = int(min(successor.expires_at, grant.expires_at) - now)
    return JsonBody(body, headers=NO_STORE)


def may_refresh(client: Client) -> bool:
    """Only an authenticated client registered for the grant holds refresh tokens."""
    return client.auth_method != "none" and "refresh_token" in client.grant_types


def refresh_token_for(
    provider: Provider,
    client: Client,
    *,
    grant_id: str,
    now: float,
    not_after: float | None = None,
) -> tuple[RefreshToken, str]:
    """A new refresh token and its record; it expires after `refresh_token_lifetime`,
    or at `not_after` (the grant's end) if that comes first."""
    token = new_id()
    expires_at = now + provider.settings.refresh_token_lifetime
    record = RefreshToken(
        token_hash=hashed(token),
        grant_id=grant_id,
        client_id=client.client_id,
        created_at=now,
        expires_at=expires_at if not_after is None else min(expires_at, not_after),
    )
    return record, token


def grant_end(provider: Provider, code: Code) -> float:
    """When the code's grant ends: the grant and the code are written together at the
    end of the login, from one clock reading (`issue_code`), so the grant ends
    `grant_lifetime - code_lifetime` after the code does."""
    settings = provider.settings
    return code.expires_at - settings.code_lifetime + settings.grant_lifetime


async def new_refresh_token(
    provider: Provider, client: Client, grant_id: str, grant_ends: float
) -> dict[str, Any]:
    """The first refresh token of a grant; it never outlives the grant, and
    `refresh_token_expires_in` says how long it really has."""
    now = provider.clock()
    record, token = refresh_token_for(
        provider, client, grant_id=grant_id, now=now, not_after=grant_ends
    )
    await provider.store.save_refresh_token(record)
    return {"refresh_token": token, "refresh_token_expires_in": int(record.expires_at - now)}


async def consume_code(provider: Provider, params: dict[str, str]) -> Code:
    code = params.get("code")
    if not code:
        raise InvalidRequest("code is required")
    record = await provider.store.consume_code(hashed(code), provider.clock())
    if record is None:
        raise InvalidGrant("the code is invalid, expired or already used")
    return record


def check_code_belongs_to(code: Code, client: Client, params: dict[str, str]) -> None:
    if code.client_id != client.client_id:
        raise InvalidGrant("the code was issued to another client")
    if params.get("redirect_uri") != code.redirect_uri:
        raise InvalidGrant("redirect_uri does not match the authorization request")


def check_pkce(code: Code, params: dict[str, str]) -> None:
    verifier = params.get("code_verifier")
    if not verifier:
        raise InvalidRequest("code_verifier is required (PKCE)")
    if not rfc7636.verify_s256(verifier, code.code_challenge):
        raise InvalidGrant("code_verifier does not match the code_challenge")
