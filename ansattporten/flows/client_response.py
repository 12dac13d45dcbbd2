"""Sending the browser back to the client: with a code, or with an error.

Every authorization response carries `iss` (RFC 9207) so a client talking to several
providers can tell which one answered; `state` is echoed when it was valid. With a JWT
response mode (JARM: `query.jwt`, `form_post.jwt`, `jwt`) the same parameters travel
signed, inside one JWT called `response`, with the algorithm the client registered
(`authorization_signed_response_alg`).
"""

from __future__ import annotations

from collections.abc import Mapping

from ansattporten.errors import OAuthError
from ansattporten.flows.authorization_request import RESPONSE_MODES
from ansattporten.flows.context import Provider
from ansattporten.outcomes import PostTo, RedirectTo
from ansattporten.records import Client
from ansattporten.spec import jarm
from ansattporten.spec.rfc6749 import add_params_to_uri, is_valid_state
from ansattporten.spec.rfc9207 import with_issuer


async def respond(
    provider: Provider,
    client: Client,
    redirect_uri: str,
    response_mode: str,
    params: Mapping[str, str],
    *,
    lang: str | None = None,
) -> RedirectTo | PostTo:
    """`lang`: the login's language, for the form_post page."""
    full = with_issuer(dict(params), provider.issuer)
    sent, transport = full, response_mode
    if (jwt_transport := jarm.transport_of(response_mode)) is not None:
        sent, transport = {"response": await signed_response(provider, client, full)}, jwt_transport
    if transport == "form_post":
        return PostTo(redirect_uri, sent, lang, response_params=full)
    return RedirectTo(add_params_to_uri(redirect_uri, sent), response_params=full)


async def signed_response(provider: Provider, client: Client, params: Mapping[str, str]) -> str:
    """The JARM response JWT, signed with a key the JWKS publishes now (keys are
    re-read when stale, as at /token: a rotation may have retired the one in memory)."""
    await provider.keyring.refresh_if_stale()
    claims = jarm.response_claims(
        params, issuer=provider.issuer, client_id=client.client_id, now=int(provider.clock())
    )
    return provider.keyring.keys.sign(claims, alg=client.authorization_signed_response_alg)


async def respond_with_error(
    provider: Provider,
    client: Client,
    redirect_uri: str,
    error: OAuthError,
    *,
    state: str | None,
    response_mode: str | None,
    lang: str | None = None,
) -> RedirectTo | PostTo:
    """`response_mode` as the request gave it, valid or not: an unknown one is answered
    in the query, the default."""
    params = error.as_dict()
    if state and is_valid_state(state):
        params["state"] = state
    mode = response_mode if response_mode in RESPONSE_MODES else "query"
    return await respond(provider, client, redirect_uri, mode, params, lang=lang)
