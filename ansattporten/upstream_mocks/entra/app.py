"""`create_entra_mock`: the mock Entra ID as a Litestar app with a handle for tests.

    mock = create_entra_mock(DEMO_FIXTURE, base_url="http://127.0.0.1:8202")
    uvicorn.run(mock.app, port=8202)

Paths follow `login.microsoftonline.com`: `/{tenant}/v2.0/.well-known/openid-configuration`,
`/{tenant}/discovery/v2.0/keys`, `/{tenant}/oauth2/v2.0/authorize` and `/token`, where
`{tenant}` is `common`, `organizations`, a tenant id or one of its domains. The issuer
of a tenant is `<base_url>/<tenant id>/v2.0`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from litestar import Litestar

from ansattporten.upstream_mocks.common_routes import common_routes
from ansattporten.upstream_mocks.entra.backchannel import backchannel_routes
from ansattporten.upstream_mocks.entra.browser import browser_routes
from ansattporten.upstream_mocks.entra.fixture import DEMO_FIXTURE
from ansattporten.upstream_mocks.entra.state import MockEntraState


class MockEntra(MockEntraState):
    """The state plus the app serving it (`keys`, `faults`, `fixture`, `consents`)."""

    def __init__(self, fixture: Path | Mapping[str, Any], *, base_url: str) -> None:
        super().__init__(fixture, base_url=base_url)
        self.app = Litestar(
            route_handlers=[*browser_routes(self), *backchannel_routes(self), *common_routes()],
            openapi_config=None,
            request_max_body_size=64 * 1024,
        )

    def issuer(self, tenant_id: str) -> str:
        return f"{self.base_url}/{tenant_id}/v2.0"


def create_entra_mock(
    fixture: Path | Mapping[str, Any] = DEMO_FIXTURE, *, base_url: str
) -> MockEntra:
    return MockEntra(fixture, base_url=base_url)
