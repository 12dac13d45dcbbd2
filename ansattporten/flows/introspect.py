"""POST /token/introspect (RFC 7662): what an API learns about an access token.

The caller authenticates like at /token, and must be a confidential client
(`client_auth.authenticate_token_call`). Anything unknown, expired, revoked, not ours
or not an access token is simply `{"active": false}` (never an error that tells why).
`authorization_details` is a top-level member, as RFC 9396 9 asks.
"""

from __future__ import annotations

from collections.abc import Iterable

from ansattporten.errors import InvalidToken
from ansattporten.flows.bearer import verify_access_token
from ansattporten.flows.client_auth import authenticate_token_call
from ansattporten.flows.context import Provider
from ansattporten.outcomes import JsonBody

NO_STORE = {"Cache-Control": "no-store"}


async def introspect(
    provider: Provider, pairs: Iterable[tuple[str, str]], authorization: str | None
) -> JsonBody:
    _, token = await authenticate_token_call(provider, pairs, authorization, confidential_only=True)
    try:
        claims = await verify_access_token(provider, token)
    except InvalidToken:
        return JsonBody({"active": False}, headers=NO_STORE)
    return JsonBody({"active": True, "token_type": "Bearer", **claims}, headers=NO_STORE)
