"""Checking one of our own access tokens: signature, its type (an access token, not an
id_token), issuer, lifetime, and that the login it came from has not been revoked."""

from __future__ import annotations

from typing import Any

from ansattporten.errors import InvalidToken
from ansattporten.flows.context import Provider
from ansattporten.records import Grant
from ansattporten.records.ids import grant_id_of_jti
from ansattporten.spec.jose import ACCESS_TOKEN_TYP, check_time_claims

MAX_TOKEN_LENGTH = 16384


async def verify_access_token(provider: Provider, token: str) -> dict[str, Any]:
    claims = await signed_access_token(provider, token)
    if not await provider.store.grant_is_active(
        grant_id_of_jti(claims.get("jti")), provider.clock()
    ):
        raise InvalidToken("the token has been revoked")
    return claims


async def access_token_and_grant(provider: Provider, token: str) -> tuple[dict[str, Any], Grant]:
    """The token's claims and its live grant, for an answer that needs what the grant
    keeps beyond the token (userinfo: the login's language)."""
    claims = await signed_access_token(provider, token)
    grant = await provider.store.get_grant(grant_id_of_jti(claims.get("jti")))
    now = provider.clock()
    if grant is None or grant.revoked_at is not None or grant.expires_at <= now:
        raise InvalidToken("the token has been revoked")
    return claims, grant


async def signed_access_token(provider: Provider, token: str) -> dict[str, Any]:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken("the access token is missing or malformed")
    await provider.keyring.refresh_if_stale()
    claims = provider.keyring.keys.verify(token, typ=ACCESS_TOKEN_TYP)
    check_time_claims(claims, now=int(provider.clock()))
    if claims.get("iss") != provider.issuer or "client_id" not in claims:
        raise InvalidToken("the token was not issued by this provider as an access token")
    return claims
