"""What the floor login keeps (`bench.floor_login_app`): its key, its register client,
and three in-memory dicts (pushed requests, logins in progress, codes), each entry
removed when it is used."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from bench.floor_login_altinn import Altinn
from bench.floor_login_tokens import Signer

RAR_TYPE = "ansattporten:altinn:resource"
RESOURCE_PREFIX = "urn:altinn:resource:"
REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:"
PAR_LIFETIME = 60
CODE_LIFETIME = 60
COOKIE = "floor_session"


class Detail(msgspec.Struct):
    type: str
    resource: str = ""


DETAILS = msgspec.json.Decoder(list[Detail])


class Pushed(msgspec.Struct):
    """A pushed authorization request, as the flow needs it later."""

    redirect_uri: str
    state: str
    nonce: str
    challenge: str
    resource: str
    expires: float


class Flow(msgspec.Struct):
    """One login in progress in one browser."""

    pushed: Pushed
    cookie: str
    csrf: str
    pid: str = ""
    offered: dict[str, str] = msgspec.field(default_factory=dict)


class Grant(msgspec.Struct):
    """What a code stands for until it is redeemed."""

    pushed: Pushed
    pid: str
    details: list[dict[str, Any]]
    expires: float


class Floor:
    """Everything the floor keeps: the key, the register client, three dicts."""

    def __init__(self, issuer: str, altinn_url: str) -> None:
        self.issuer = issuer
        self.signer = Signer()
        self.altinn = Altinn(altinn_url)
        self.pushed: dict[str, Pushed] = {}
        self.flows: dict[str, Flow] = {}
        self.codes: dict[str, Grant] = {}
        self.discovery = msgspec.json.encode(
            {
                "issuer": issuer,
                "pushed_authorization_request_endpoint": f"{issuer}/par",
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "introspection_endpoint": f"{issuer}/introspect",
                "grant_types_supported": ["authorization_code"],
                "response_types_supported": ["code"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                "authorization_details_types_supported": [RAR_TYPE],
                "require_pushed_authorization_requests": True,
            }
        )

    def flow(self, request: Request[Any, Any, Any], flow_id: str) -> Flow | None:
        """The browser's flow: it must hold the cookie set at authorize."""
        found = self.flows.get(flow_id)
        if found is None or request.cookies.get(COOKIE) != found.cookie:
            return None
        return found
