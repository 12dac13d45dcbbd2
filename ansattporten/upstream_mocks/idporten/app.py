"""`create_idporten_mock`: the mock ID-porten as a Litestar app with a handle for tests.

    mock = create_idporten_mock(DEMO_FIXTURE, issuer="http://127.0.0.1:8201")
    uvicorn.run(mock.app, port=8201)

Endpoints (as ID-porten names them): `/.well-known/openid-configuration`, `/jwks.json`,
`/par`, `/authorize`, `/token`, `/userinfo`; the login page at `/login/<handle>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from litestar import Litestar

from ansattporten.upstream_mocks.common_routes import common_routes
from ansattporten.upstream_mocks.idporten.backchannel import backchannel_routes
from ansattporten.upstream_mocks.idporten.browser import browser_routes
from ansattporten.upstream_mocks.idporten.fixture import DEMO_FIXTURE
from ansattporten.upstream_mocks.idporten.state import MockIdPortenState


class MockIdPorten(MockIdPortenState):
    """The state plus the app serving it (`keys`, `faults`, `fixture`, `issuer`)."""

    def __init__(self, fixture: Path | Mapping[str, Any], *, issuer: str) -> None:
        super().__init__(fixture, issuer=issuer)
        self.app = Litestar(
            route_handlers=[*browser_routes(self), *backchannel_routes(self), *common_routes()],
            openapi_config=None,
            request_max_body_size=64 * 1024,
        )


def create_idporten_mock(
    fixture: Path | Mapping[str, Any] = DEMO_FIXTURE, *, issuer: str
) -> MockIdPorten:
    return MockIdPorten(fixture, issuer=issuer)
