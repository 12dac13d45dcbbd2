"""POST /par: pushed authorization requests (RFC 9126).

1. authenticate the client (as at /token)
2. refuse `request_uri` inside a pushed request
3. validate exactly as /authorize does; errors are JSON, never redirects
4. store the request under a fresh single-use `request_uri` bound to this client
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from ansattporten.errors import InvalidRequest
from ansattporten.flows.authorization_request import (
    AUTHORIZE_PARAMETERS,
    validate_authorization_request,
)
from ansattporten.flows.client_auth import authenticate_client
from ansattporten.flows.context import Provider
from ansattporten.outcomes import JsonBody
from ansattporten.spec.rfc6749 import single_valued
from ansattporten.spec.rfc9126 import new_request_uri
from ansattporten.store import PushedRequest

AUTH_PARAMETERS = frozenset({"client_secret", "client_assertion", "client_assertion_type"})


async def pushed_authorization_request(
    provider: Provider, pairs: Iterable[tuple[str, str]], authorization: str | None
) -> JsonBody:
    params = single_valued(pairs, names=AUTHORIZE_PARAMETERS | AUTH_PARAMETERS)
    client = await authenticate_client(provider, params, authorization)
    if "request_uri" in params:
        raise InvalidRequest("request_uri cannot be pushed")
    request_params = {k: v for k, v in params.items() if k in AUTHORIZE_PARAMETERS}
    request_params["client_id"] = client.client_id
    validate_authorization_request(
        request_params, client, provider.settings, provider.representation
    )
    request_uri = new_request_uri()
    lifetime = provider.settings.par_lifetime
    await provider.store.save_pushed_request(
        PushedRequest(
            request_uri=request_uri,
            client_id=client.client_id,
            params=msgspec.to_builtins(request_params),
            expires_at=provider.clock() + lifetime,
            used=False,
        )
    )
    return JsonBody({"request_uri": request_uri, "expires_in": lifetime}, status=201)
