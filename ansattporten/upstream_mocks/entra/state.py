"""The running mock Entra ID: fixture, keys, faults, pending sign-ins, codes, consents.

Tests hold this handle (`mock.keys.rotate()`, `mock.faults = Faults(...)`,
`mock.consents.clear()` to see the consent page again).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import msgspec

from ansattporten.upstream_mocks.entra.claims import SignedIn
from ansattporten.upstream_mocks.entra.fixture import EntraFixture, Tenant, load_fixture
from ansattporten.upstream_mocks.faults import Faults
from ansattporten.upstream_mocks.keys import KeyRing
from ansattporten.upstream_mocks.memory import Expiring

PRODUCT: Final = "Mock Microsoft Entra ID"
LOGIN_TTL: Final = 900
CODE_TTL: Final = 600
"""Entra's codes "typically expire after about 10 minutes"."""
ACCESS_TOKEN_TTL: Final = 3599
BROWSER_COOKIE: Final = "mock_entra_browser"


class SignInRequest(msgspec.Struct, frozen=True, kw_only=True):
    path_tenant: str
    """`common`, `organizations`, a tenant id or a domain, as in the URL."""
    tenant_id: str | None
    """The tenant the URL names, or None for `common`/`organizations`."""
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    nonce: str | None
    response_mode: str
    code_challenge: str | None
    code_challenge_method: str
    prompt: str | None
    ui_locales: str | None


@dataclass(frozen=True, slots=True)
class PendingSignIn:
    request: SignInRequest
    browser: str
    user: tuple[str, str] | None = None
    """(tid, oid) once the person picked an account and only consent is left."""


class IssuedCode(msgspec.Struct, frozen=True, kw_only=True):
    request: SignInRequest
    signed_in: SignedIn


class MockEntraState:
    def __init__(self, fixture: Path | Mapping[str, Any], *, base_url: str) -> None:
        self.fixture: EntraFixture = load_fixture(fixture)
        self.base_url = base_url.rstrip("/")
        self.keys = KeyRing(PRODUCT, kid_style="x5t")
        self.faults = Faults()
        self.sign_ins: Expiring[PendingSignIn] = Expiring()
        self.codes: Expiring[IssuedCode] = Expiring()
        self.redeemed: Expiring[bool] = Expiring()
        self.seen_assertions: Expiring[bool] = Expiring()
        self.consents: set[tuple[str, str, str]] = set()
        """(tenant id, user oid, client id) a user consented to."""

    def tenants_for(self, request: SignInRequest) -> list[Tenant]:
        """The tenants whose users may sign in through this request's URL."""
        if request.tenant_id is None:
            return list(self.fixture.tenants)
        tenant = self.fixture.tenant(request.tenant_id)
        return [tenant] if tenant else []
