"""POST /par: pushed authorization requests (RFC 9126).

1. authenticate the client (as at /token)
2. refuse `request_uri` inside a pushed request; unpack a request object (`request`)
3. validate exactly as /authorize does; errors are JSON, never redirects
4. DPoP (RFC 9449 10.1): a proof sent with the push binds the code to its key, as
   `dpop_jkt` does (both must then name the same key)
5. store the validated request under a fresh single-use `request_uri` bound to this
   client; /authorize takes it from there without checking it again
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec

from ansattporten import routes
from ansattporten.errors import InvalidDpopProof, InvalidRequest
from ansattporten.flows.authorization_request import (
    AUTHORIZE_PARAMETERS,
    validate_authorization_request,
)
from ansattporten.flows.client_auth import CLIENT_CREDENTIALS, authenticate_client
from ansattporten.flows.context import Provider
from ansattporten.flows.dpop import checked_proof
from ansattporten.flows.request_object import unpack_request_object
from ansattporten.outcomes import JsonBody
from ansattporten.records import AuthorizationRequest, PushedRequest
from ansattporten.spec.rfc6749 import single_valued
from ansattporten.spec.rfc9126 import new_request_uri


async def pushed_authorization_request(
    provider: Provider,
    pairs: Iterable[tuple[str, str]],
    authorization: str | None,
    dpop: Sequence[str] = (),
) -> JsonBody:
    """`dpop`: the request's `DPoP` header values (none, or one proof)."""
    params = single_valued(pairs, names=AUTHORIZE_PARAMETERS | CLIENT_CREDENTIALS)
    client = await authenticate_client(provider, params, authorization)
    if "request_uri" in params:
        raise InvalidRequest("request_uri cannot be pushed")
    request_params = {k: v for k, v in params.items() if k in AUTHORIZE_PARAMETERS}
    request_params["client_id"] = client.client_id
    request_params = dict(await unpack_request_object(provider, client, request_params))
    request = validate_authorization_request(
        request_params, client, provider.settings, provider.representation, provider.acr_offered
    )
    request = await bind_to_proof(provider, request, dpop)
    lifetime = provider.settings.par_lifetime
    pushed = PushedRequest(
        request_uri=new_request_uri(),
        client_id=client.client_id,
        request=request,
        expires_at=provider.clock() + lifetime,
    )
    await provider.store.save_pushed_request(pushed)
    return JsonBody({"request_uri": pushed.request_uri, "expires_in": lifetime}, status=201)


async def bind_to_proof(
    provider: Provider, request: AuthorizationRequest, dpop: Sequence[str]
) -> AuthorizationRequest:
    proof = await checked_proof(provider, dpop, method="POST", path=routes.PAR)
    if proof is None:
        return request
    if request.dpop_jkt is not None and request.dpop_jkt != proof.jkt:
        raise InvalidDpopProof("dpop_jkt and the DPoP proof name different keys")
    return msgspec.structs.replace(request, dpop_jkt=proof.jkt)
