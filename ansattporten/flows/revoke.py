"""POST /token/revoke (RFC 7009).

The client authenticates; a refresh token or access token it holds revokes the whole
grant (every token of that login for that client). The answer is 200 whether or not the
token was known, so the endpoint tells an attacker nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from ansattporten.errors import InvalidRequest, InvalidToken
from ansattporten.flows.bearer import grant_id_of
from ansattporten.flows.client_auth import authenticate_client
from ansattporten.flows.context import Provider
from ansattporten.flows.token import token_hash
from ansattporten.outcomes import JsonBody
from ansattporten.spec.rfc6749 import single_valued

PARAMETERS = frozenset(
    {
        "token",
        "token_type_hint",
        "client_id",
        "client_secret",
        "client_assertion",
        "client_assertion_type",
    }
)


async def revoke(
    provider: Provider, pairs: Iterable[tuple[str, str]], authorization: str | None
) -> JsonBody:
    params = single_valued(pairs, names=PARAMETERS)
    client = await authenticate_client(provider, params, authorization)
    token = params.get("token")
    if not token:
        raise InvalidRequest("token is required")
    grant_id = await grant_of_token(provider, token[:16384], client.client_id)
    if grant_id is not None:
        await provider.store.revoke_grant(grant_id, provider.clock())
    return JsonBody({}, headers={"Cache-Control": "no-store"})


async def grant_of_token(provider: Provider, token: str, client_id: str) -> str | None:
    """The grant behind a refresh or access token issued to `client_id`, if any."""
    refresh = await provider.store.find_refresh_token(token_hash(token))
    if refresh is not None:
        return refresh.grant_id if refresh.client_id == client_id else None
    await provider.keyring.refresh_if_stale()
    try:
        claims = provider.keyring.keys.verify(token)
    except InvalidToken:
        return None
    if claims.get("client_id") != client_id:
        return None
    return grant_id_of(claims)
