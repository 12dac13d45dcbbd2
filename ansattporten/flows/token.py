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

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from ansattporten.errors import (
    InvalidGrant,
    InvalidRequest,
    UnauthorizedClient,
    UnsupportedGrantType,
)
from ansattporten.flows.client_auth import authenticate_client
from ansattporten.flows.clients import RegisteredClient
from ansattporten.flows.context import Provider
from ansattporten.flows.issue_code import code_hash
from ansattporten.flows.refresh_recheck import recheck_details
from ansattporten.flows.results import JsonBody
from ansattporten.spec import oidc_core, rfc7636
from ansattporten.spec.rfc6749 import single_valued
from ansattporten.store import AuthorizationCode, RefreshToken

TOKEN_PARAMETERS = frozenset(
    {
        "grant_type",
        "code",
        "redirect_uri",
        "code_verifier",
        "client_id",
        "client_secret",
        "client_assertion",
        "client_assertion_type",
        "refresh_token",
        "scope",
        "authorization_details",
    }
)
SHORT_ACR = {"idporten-loa-substantial": "substantial", "idporten-loa-high": "high"}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def token(
    provider: Provider, pairs: Iterable[tuple[str, str]], authorization: str | None
) -> JsonBody:
    params = single_valued(pairs, names=TOKEN_PARAMETERS)
    grant_type = params.get("grant_type")
    if not grant_type:
        raise InvalidRequest("grant_type is required")
    if grant_type not in ("authorization_code", "refresh_token"):
        raise UnsupportedGrantType("grant_type must be authorization_code or refresh_token")
    client = await authenticate_client(provider, params, authorization)
    if grant_type == "refresh_token":
        return await refresh(provider, client, params)
    code = await consume_code(provider, params)
    check_code_belongs_to(code, client, params)
    check_pkce(code, params)
    body = sign_tokens(provider, client, code.grant_id, code.claims)
    if may_refresh(client):
        body.update(
            await new_refresh_token(provider, client, code.grant_id, grant_end(provider, code))
        )
    return JsonBody(body, headers=NO_STORE)


async def refresh(provider: Provider, client: RegisteredClient, params: dict[str, str]) -> JsonBody:
    if not may_refresh(client):
        raise UnauthorizedClient("this client may not use refresh tokens")
    presented = params.get("refresh_token")
    if not presented:
        raise InvalidRequest("refresh_token is required")
    now = provider.clock()
    successor, token = refresh_row(provider, client, grant_id="", now=now)
    grant = await provider.store.rotate_refresh_token(
        token_hash(presented), client.client_id, successor, now
    )
    if grant is None or grant.claims is None:
        raise InvalidGrant("the refresh token is invalid, expired, revoked or already used")
    details = grant.authorization_details
    if provider.settings.refresh_rechecks_sources:
        details = await recheck_details(provider, grant)
    claims = {**grant.claims, "authorization_details": details}
    body = sign_tokens(provider, client, grant.id, claims, with_id_token=False)
    body["refresh_token"] = token
    body["refresh_token_expires_in"] = int(successor.expires_at - now)
    return JsonBody(body, headers=NO_STORE)


def may_refresh(client: RegisteredClient) -> bool:
    """Only an authenticated client registered for the grant holds refresh tokens."""
    return client.auth_method != "none" and "refresh_token" in client.grant_types


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def refresh_row(
    provider: Provider, client: RegisteredClient, *, grant_id: str, now: float
) -> tuple[RefreshToken, str]:
    token = secrets.token_urlsafe(32)
    row = RefreshToken(
        token_hash=token_hash(token),
        grant_id=grant_id,
        client_id=client.client_id,
        created_at=now,
        expires_at=now + provider.settings.refresh_token_lifetime,
        used_at=None,
    )
    return row, token


def grant_end(provider: Provider, code: AuthorizationCode) -> float:
    """When the code's grant ends: the grant and the code are written together at the
    end of the login, from one clock reading (`issue_code`), so the grant ends
    `grant_lifetime - code_lifetime` after the code does."""
    settings = provider.settings
    return code.expires_at - settings.code_lifetime + settings.grant_lifetime


async def new_refresh_token(
    provider: Provider, client: RegisteredClient, grant_id: str, grant_ends: float
) -> dict[str, Any]:
    """The first refresh token of a grant; it never outlives the grant, and
    `refresh_token_expires_in` says how long it really has."""
    now = provider.clock()
    row, token = refresh_row(provider, client, grant_id=grant_id, now=now)
    row.expires_at = min(row.expires_at, grant_ends)
    await provider.store.save_refresh_token(row)
    return {"refresh_token": token, "refresh_token_expires_in": int(row.expires_at - now)}


async def consume_code(provider: Provider, params: dict[str, str]) -> AuthorizationCode:
    code = params.get("code")
    if not code:
        raise InvalidRequest("code is required")
    record = await provider.store.consume_code(code_hash(code), provider.clock())
    if record is None:
        raise InvalidGrant("the code is invalid, expired or already used")
    return record


def check_code_belongs_to(
    code: AuthorizationCode, client: RegisteredClient, params: dict[str, str]
) -> None:
    if code.client_id != client.client_id:
        raise InvalidGrant("the code was issued to another client")
    if params.get("redirect_uri") != code.redirect_uri:
        raise InvalidGrant("redirect_uri does not match the authorization request")


def check_pkce(code: AuthorizationCode, params: dict[str, str]) -> None:
    verifier = params.get("code_verifier")
    if not verifier:
        raise InvalidRequest("code_verifier is required (PKCE)")
    if not rfc7636.verify_s256(verifier, code.code_challenge):
        raise InvalidGrant("code_verifier does not match the code_challenge")


def returned_acr(provider: Provider, acr: str) -> str:
    if provider.settings.short_acr_in_tokens:
        return SHORT_ACR.get(acr, acr)
    return acr


def sign_tokens(
    provider: Provider,
    client: RegisteredClient,
    grant_id: str,
    claims: dict[str, Any],
    *,
    with_id_token: bool = True,
) -> dict[str, Any]:
    """Access token (and id_token) for one grant. Both `jti`s start with the grant id,
    so userinfo, introspection, revocation and logout can find the grant."""
    now = int(provider.clock())
    acr = returned_acr(provider, claims["acr"])
    details = claims.get("authorization_details")
    keys = provider.keyring.keys
    lifetime = client.access_token_lifetime or provider.settings.access_token_lifetime
    access_token = keys.sign(
        oidc_core.access_token_claims(
            issuer=provider.issuer,
            client_id=client.client_id,
            sub=claims["sub"],
            pid=claims["pid"],
            acr=acr,
            amr=claims["amr"],
            auth_time=claims["auth_time"],
            scope=claims["scope"],
            now=now,
            lifetime=lifetime,
            jti=f"{grant_id}.{secrets.token_urlsafe(12)}",
            client_amr=client.auth_method,
            authorization_details=details,
        ),
        typ="at+jwt",
    )
    body: dict[str, Any] = {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "scope": claims["scope"],
    }
    if details is not None:
        body["authorization_details"] = details
    if not with_id_token:
        return body
    body["id_token"] = keys.sign(
        oidc_core.id_token_claims(
            issuer=provider.issuer,
            client_id=client.client_id,
            sub=claims["sub"],
            pid=claims["pid"],
            acr=acr,
            amr=claims["amr"],
            auth_time=claims["auth_time"],
            nonce=claims["nonce"],
            locale=claims["locale"],
            now=now,
            lifetime=provider.settings.id_token_lifetime,
            jti=f"{grant_id}.{secrets.token_urlsafe(12)}",
            authorization_details=details,
        ),
        alg=client.id_token_alg,
    )
    return body
