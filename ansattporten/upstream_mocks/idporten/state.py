"""The running mock ID-porten: its fixture, keys, faults and short-lived records.

Tests hold this handle: `mock.keys.rotate()` changes the signing key, `mock.faults =
Faults(...)` makes the next answers misbehave, and `mock.app` is what uvicorn serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import msgspec

from ansattporten.upstream_mocks.faults import Faults
from ansattporten.upstream_mocks.idporten.authorization_request import AuthorizationRequest
from ansattporten.upstream_mocks.idporten.claims import Authenticated
from ansattporten.upstream_mocks.idporten.fixture import IdPortenFixture, load_fixture
from ansattporten.upstream_mocks.keys import KeyRing
from ansattporten.upstream_mocks.memory import Expiring

PRODUCT: Final = "Mock ID-porten"
PUSHED_REQUEST_TTL: Final = 120
"""`expires_in` of ID-porten's PAR example."""
LOGIN_TTL: Final = 900
CODE_TTL: Final = 60
ACCESS_TOKEN_TTL: Final = 120
BROWSER_COOKIE: Final = "mock_idporten_browser"


@dataclass(frozen=True, slots=True)
class PendingLogin:
    request: AuthorizationRequest
    browser: str
    """The cookie of the browser that started the login: a copied link is worthless."""


class IssuedCode(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    scopes: tuple[str, ...]
    who: Authenticated


class IssuedAccessToken(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    scopes: tuple[str, ...]
    who: Authenticated


class MockIdPortenState:
    def __init__(self, fixture: Path | Mapping[str, Any], *, issuer: str) -> None:
        self.fixture: IdPortenFixture = load_fixture(fixture)
        self.issuer = issuer.rstrip("/")
        self.keys = KeyRing(PRODUCT)
        self.faults = Faults()
        self.pushed: Expiring[AuthorizationRequest] = Expiring()
        self.logins: Expiring[PendingLogin] = Expiring()
        self.codes: Expiring[IssuedCode] = Expiring()
        self.access_tokens: Expiring[IssuedAccessToken] = Expiring()
        self.seen_assertions: Expiring[bool] = Expiring()

    def response_issuer(self) -> str | None:
        """`iss` for the authorization response (RFC 9207), or None to leave it out."""
        if self.faults.omit_response_issuer:
            return None
        return self.faults.response_issuer or self.issuer
