"""What the floor login keeps (`bench.floor_login_app`): its key, its register client,
and three tables (pushed requests, logins in progress, codes; in dicts, or in an SQLite
file for the floor as designed, `floor_keep`), each entry removed when it is used."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from bench.floor_keep import MemoryTable, SqliteTable, Table, open_database
from bench.floor_login_altinn import Altinn
from bench.floor_login_tokens import Signer
from bench.floor_pages import DesignedPages

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
    """Everything the floor keeps: the key, the register client, three tables; and,
    for the floor as designed (`database` given), the provider's pages."""

    def __init__(self, issuer: str, altinn_url: str, database: str | None = None) -> None:
        self.issuer = issuer
        self.signer = Signer()
        self.altinn = Altinn(altinn_url)
        self.pages = None if database is None else DesignedPages()
        self.pushed: Table[Pushed]
        self.flows: Table[Flow]
        self.codes: Table[Grant]
        if database is None:
            self.pushed, self.flows, self.codes = MemoryTable(), MemoryTable(), MemoryTable()
        else:
            connection = open_database(database)
            self.pushed = SqliteTable(connection, "pushed", Pushed)
            self.flows = SqliteTable(connection, "flow", Flow)
            self.codes = SqliteTable(connection, "code", Grant)
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

    @property
    def designed(self) -> bool:
        """The floor as designed: state in SQLite, the provider's pages, the choice
        re-checked with the register."""
        return self.pages is not None

    def flow(self, request: Request[Any, Any, Any], flow_id: str) -> Flow | None:
        """The browser's flow: it must hold the cookie set at authorize."""
        found = self.flows.get(flow_id)
        if found is None or request.cookies.get(COOKIE) != found.cookie:
            return None
        return found
