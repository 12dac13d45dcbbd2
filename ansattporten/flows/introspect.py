"""POST /token/introspect (RFC 7662): what an API learns about an access token.

The caller authenticates like at /token, and must be a confidential client: a public
client proves nothing but a client_id anyone can read, and introspection open to it
would let anyone scan tokens (RFC 7662 2.1). Anything unknown, expired, revoked or not ours
is simply `{"active": false}` (never an error that tells why). `authorization_details`
is a top-level member, as RFC 9396 9 asks.
"""

from __future__ import annotations

from collections.abc import Iterable

from ansattporten.errors import InvalidClient, InvalidRequest, InvalidToken
from ansattporten.flows.bearer import verify_access_token
from ansattporten.flows.client_auth import authenticate_client
from ansattporten.flows.context import Provider
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


async def introspect(
    provider: Provider, pairs: Iterable[tuple[str, str]], authorization: str | None
) -> JsonBody:
    params = single_valued(pairs, names=PARAMETERS)
    client = await authenticate_client(provider, params, authorization)
    if client.auth_method == "none":
        raise InvalidClient("introspection needs an authenticated client")
    token = params.get("token")
    if not token:
        raise InvalidRequest("token is required")
    try:
        claims = await verify_access_token(provider, token)
    except InvalidToken:
        return JsonBody({"active": False}, headers={"Cache-Control": "no-store"})
    return JsonBody(
        {"active": True, "token_type": "Bearer", **claims},
        headers={"Cache-Control": "no-store"},
    )
