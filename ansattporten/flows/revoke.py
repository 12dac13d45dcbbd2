"""POST /token/revoke (RFC 7009).

The client authenticates; a refresh token or access token it holds revokes the whole
grant (every token of that login for that client). The answer is 200 whether or not the
token was known, so the endpoint tells an attacker nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from ansattporten.errors import InvalidToken
from ansattporten.flows.bearer import MAX_TOKEN_LENGTH
from ansattporten.flows.client_auth import authenticate_token_call
from ansattporten.flows.context import Provider
from ansattporten.outcomes import JsonBody
from ansattporten.records.ids import grant_id_of_jti, hashed


async def revoke(
    provider: Provider, pairs: Iterable[tuple[str, str]], authorization: str | None
) -> JsonBody:
    client, token = await authenticate_token_call(provider, pairs, authorization)
    grant_id = await grant_of_token(provider, token[:MAX_TOKEN_LENGTH], client.client_id)
    if grant_id is not None:
        await provider.store.revoke_grant(grant_id, provider.clock())
    return JsonBody({}, headers={"Cache-Control": "no-store"})


async def grant_of_token(provider: Provider, token: str, client_id: str) -> str | None:
    """The grant behind a refresh or access token issued to `client_id`, if any."""
    refresh = await provider.store.find_refresh_token(hashed(token))
    if refresh is not None:
        return refresh.grant_id if refresh.client_id == client_id else None
    await provider.keyring.refresh_if_stale()
    try:
        claims = provider.keyring.keys.verify(token)
    except InvalidToken:
        return None
    if claims.get("client_id") != client_id:
        return None
    return grant_id_of_jti(claims.get("jti"))
