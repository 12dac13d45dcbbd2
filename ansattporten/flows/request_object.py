"""A request object by value (`request`, RFC 9101), at /authorize and at /par.

1. only a client with a registered key may send one (ID-porten's rule): any other
   gets `request_not_supported`
2. signed by one of its keys (`client_keys`), naming this client and this provider,
   valid now (`spec.rfc9101`)
3. used once: a `jti` is remembered until the object expires
4. its claims replace the request's parameters (RFC 9101 6.3)
"""

from __future__ import annotations

from collections.abc import Mapping

from ansattporten.errors import InvalidRequestObject, RequestNotSupported
from ansattporten.flows.client_keys import client_jwks
from ansattporten.flows.context import Provider
from ansattporten.records import Client
from ansattporten.records.ids import hashed
from ansattporten.spec import rfc9101


async def unpack_request_object(
    provider: Provider, client: Client, params: Mapping[str, str]
) -> Mapping[str, str]:
    """The request's parameters: `params`, or the object's claims when it sent one."""
    value = params.get("request")
    if value is None:
        return params
    if not (client.jwks or client.jwks_uri):
        raise RequestNotSupported("request objects need a key registered for the client")
    claims = rfc9101.decode_request_object(value, await client_jwks(client))
    now = provider.clock()
    unpacked = rfc9101.request_parameters(
        claims, client_id=client.client_id, issuer=provider.issuer, now=int(now)
    )
    jti = claims.get("jti")
    if isinstance(jti, str):
        key = "jar:" + hashed(f"{client.client_id}:{jti}")
        if not await provider.store.remember_assertion(key, float(claims["exp"]), now):
            raise InvalidRequestObject("the request object has been used before")
    return unpacked
