"""POST /par: pushed authorization requests (RFC 9126).

1. authenticate the client (as at /token)
2. refuse `request_uri` inside a pushed request, and a request object (`request`)
3. validate exactly as /authorize does; errors are JSON, never redirects
4. store the validated request under a fresh single-use `request_uri` bound to this
   client; /authorize takes it from there without checking it again
"""

from __future__ import annotations

from collections.abc import Iterable

from ansattporten.errors import InvalidRequest
from ansattporten.flows.authorization_request import (
    AUTHORIZE_PARAMETERS,
    refuse_request_objects,
    validate_authorization_request,
)
from ansattporten.flows.client_auth import CLIENT_CREDENTIALS, authenticate_client
from ansattporten.flows.context import Provider
from ansattporten.outcomes import JsonBody
from ansattporten.records import PushedRequest
from ansattporten.spec.rfc6749 import single_valued
from ansattporten.spec.rfc9126 import new_request_uri


async def pushed_authorization_request(
    provider: Provider, pairs: Iterable[tuple[str, str]], authorization: str | None
) -> JsonBody:
    params = single_valued(pairs, names=AUTHORIZE_PARAMETERS | CLIENT_CREDENTIALS)
    client = await authenticate_client(provider, params, authorization)
    if "request_uri" in params:
        raise InvalidRequest("request_uri cannot be pushed")
    refuse_request_objects(params)
    request_params = {k: v for k, v in params.items() if k in AUTHORIZE_PARAMETERS}
    request_params["client_id"] = client.client_id
    request = validate_authorization_request(
        request_params, client, provider.settings, provider.representation
    )
    lifetime = provider.settings.par_lifetime
    pushed = PushedRequest(
        request_uri=new_request_uri(),
        client_id=client.client_id,
        request=request,
        expires_at=provider.clock() + lifetime,
    )
    await provider.store.save_pushed_request(pushed)
    return JsonBody({"request_uri": pushed.request_uri, "expires_in": lifetime}, status=201)
