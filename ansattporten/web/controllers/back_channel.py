"""Endpoints services call directly: discovery, keys, PAR, token, userinfo,
introspection. Each handler reads the request and hands it to one flow."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post

from ansattporten import routes
from ansattporten.flows import discovery, introspect, par, revoke, token, userinfo
from ansattporten.web.forms import form_pairs
from ansattporten.web.metrics import TOKEN_LATENCY
from ansattporten.web.render import json_response
from ansattporten.web.state import AnyRequest, provider_of, renderer_of

CACHE_A_DAY = {"Cache-Control": "public, max-age=86400"}


def dpop_headers(request: AnyRequest) -> list[str]:
    """Every `DPoP` header the request carries (RFC 9449 4.3: there must be one)."""
    return request.headers.getall("dpop", [])


@get(list(routes.DISCOVERY))
async def discovery_document(request: AnyRequest) -> Response[Any]:
    return json_response(discovery.metadata(provider_of(request)), headers=CACHE_A_DAY)


@get(routes.JWKS)
async def jwks(request: AnyRequest) -> Response[Any]:
    provider = provider_of(request)
    await provider.keyring.refresh_if_stale()
    return json_response(
        provider.keyring.keys.public_jwks(), headers={"Cache-Control": "public, max-age=300"}
    )


@post(routes.PAR, status_code=201)
async def pushed_authorization_request(request: AnyRequest) -> Response[Any]:
    outcome = await par.pushed_authorization_request(
        provider_of(request),
        await form_pairs(request),
        request.headers.get("authorization"),
        dpop_headers(request),
    )
    return renderer_of(request).outcome(outcome)


@post(routes.TOKEN)
async def token_endpoint(request: AnyRequest) -> Response[Any]:
    provider = provider_of(request)
    with TOKEN_LATENCY.time():
        await provider.keyring.refresh_if_stale()
        outcome = await token.token(
            provider,
            await form_pairs(request),
            request.headers.get("authorization"),
            dpop_headers(request),
        )
        return renderer_of(request).outcome(outcome)


async def _userinfo(request: AnyRequest) -> Response[Any]:
    outcome = await userinfo.userinfo(
        provider_of(request),
        request.headers.get("authorization"),
        dpop_headers(request),
        request.method,
    )
    return renderer_of(request).outcome(outcome)


@get(routes.USERINFO)
async def userinfo_get(request: AnyRequest) -> Response[Any]:
    return await _userinfo(request)


@post(routes.USERINFO, status_code=200)
async def userinfo_post(request: AnyRequest) -> Response[Any]:
    return await _userinfo(request)


@post(routes.INTROSPECT, status_code=200)
async def introspection(request: AnyRequest) -> Response[Any]:
    outcome = await introspect.introspect(
        provider_of(request), await form_pairs(request), request.headers.get("authorization")
    )
    return renderer_of(request).outcome(outcome)


@post(routes.REVOKE, status_code=200)
async def revocation(request: AnyRequest) -> Response[Any]:
    outcome = await revoke.revoke(
        provider_of(request), await form_pairs(request), request.headers.get("authorization")
    )
    return renderer_of(request).outcome(outcome)


handlers = [
    revocation,
    discovery_document,
    jwks,
    pushed_authorization_request,
    token_endpoint,
    userinfo_get,
    userinfo_post,
    introspection,
]
