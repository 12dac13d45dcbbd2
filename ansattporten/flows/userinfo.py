"""GET|POST /userinfo: who the bearer of an access token is (as ID-porten answers)."""

from __future__ import annotations

from ansattporten.errors import InvalidToken
from ansattporten.flows.bearer import verify_access_token
from ansattporten.flows.context import Provider
from ansattporten.outcomes import JsonBody

USERINFO_CLAIMS = ("sub", "pid", "acr", "amr", "auth_time")


async def userinfo(provider: Provider, authorization: str | None) -> JsonBody:
    if not authorization or authorization[:7].lower() != "bearer ":
        raise InvalidToken("a bearer access token is required")
    claims = await verify_access_token(provider, authorization[7:].strip())
    body = {name: claims[name] for name in USERINFO_CLAIMS if name in claims}
    return JsonBody(body, headers={"Cache-Control": "no-store"})
