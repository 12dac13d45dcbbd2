"""The mock upstreams on real loopback sockets, with their handles (keys, faults), and
node-oidc-provider; plus a small browser that follows a mock's pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx
import pytest
from joserfc.jwk import RSAKey

from ansattporten.upstream_mocks.entra.app import MockEntra, create_entra_mock
from ansattporten.upstream_mocks.entra.fixture import DEMO_FIXTURE as ENTRA_DEMO
from ansattporten.upstream_mocks.faults import Faults
from ansattporten.upstream_mocks.idporten.app import MockIdPorten, create_idporten_mock
from ansattporten.upstream_mocks.idporten.fixture import DEMO_FIXTURE as IDPORTEN_DEMO
from tests.support.node_upstream import node_upstream as node_upstream
from tests.support.servers import free_socket, serve_in_thread

REDIRECT = "http://127.0.0.1:9/eid/callback"
SECRET = "broker-secret-0123456789"
BROKER_KEY = RSAKey.generate_key(2048, parameters={"kid": "broker-1", "alg": "RS256"})


def idporten_fixture() -> dict[str, Any]:
    """The demo people, and clients for every way a broker may authenticate."""
    fixture: dict[str, Any] = json.loads(IDPORTEN_DEMO.read_text(encoding="utf-8"))
    public_jwks = {"keys": [dict(BROKER_KEY.as_dict(private=False))]}
    fixture["clients"] = [
        {"client_id": "basic-broker", "redirect_uris": [REDIRECT], "client_secret": SECRET,
         "token_endpoint_auth_method": "client_secret_basic", "client_name": "Broker",
         "frontchannel_logout_session_required": True},
        {"client_id": "post-broker", "redirect_uris": [REDIRECT], "client_secret": SECRET,
         "token_endpoint_auth_method": "client_secret_post"},
        {"client_id": "jwt-broker", "redirect_uris": [REDIRECT], "jwks": public_jwks,
         "token_endpoint_auth_method": "private_key_jwt"},
        {"client_id": "public-broker", "redirect_uris": [REDIRECT], "scopes": ["openid"],
         "token_endpoint_auth_method": "none"},
    ]  # fmt: skip
    return fixture


def entra_fixture() -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads(ENTRA_DEMO.read_text(encoding="utf-8"))
    app = fixture["applications"][0]
    app["redirect_uris"] = [REDIRECT]
    app["client_secrets"] = [SECRET]
    certificate_key = {k: v for k, v in BROKER_KEY.as_dict(private=False).items() if k != "alg"}
    app["jwks"] = {"keys": [certificate_key]}  # as Entra registers a certificate: no alg
    return fixture


@pytest.fixture(scope="module")
def idporten() -> Iterator[MockIdPorten]:
    sock = free_socket()
    mock = create_idporten_mock(
        idporten_fixture(), issuer=f"http://127.0.0.1:{sock.getsockname()[1]}"
    )
    with serve_in_thread(mock.app, sock):
        yield mock


@pytest.fixture(scope="module")
def entra() -> Iterator[MockEntra]:
    sock = free_socket()
    mock = create_entra_mock(entra_fixture(), base_url=f"http://127.0.0.1:{sock.getsockname()[1]}")
    with serve_in_thread(mock.app, sock):
        yield mock


@pytest.fixture(autouse=True)
def well_behaved(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts and ends with the mocks' faults off."""
    yield
    for name in ("idporten", "entra"):
        if name in request.fixturenames:
            request.getfixturevalue(name).faults = Faults()


class Browser:
    """A cookie-keeping client that follows a mock's redirects and stops at a page or at
    the redirect back to the client (whose query it returns)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(timeout=10)

    def open(self, url: str) -> httpx.Response | dict[str, str]:
        return self.follow(self.http.get(urljoin(self.base_url + "/", url)))

    def submit(self, url: str, data: dict[str, str]) -> httpx.Response | dict[str, str]:
        return self.follow(self.http.post(urljoin(self.base_url + "/", url), data=data))

    def follow(self, response: httpx.Response) -> httpx.Response | dict[str, str]:
        for _ in range(10):
            if not response.is_redirect:
                return response
            target = urljoin(str(response.url), response.headers["location"])
            if not target.startswith(self.base_url + "/"):
                return dict(parse_qsl(urlsplit(target).query))
            response = self.http.get(target)
        raise AssertionError("redirect loop")

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def browser_for() -> Iterator[Any]:
    made: list[Browser] = []

    def make(base_url: str) -> Browser:
        made.append(Browser(base_url))
        return made[-1]

    yield make
    for browser in made:
        browser.close()


def page_path(response: httpx.Response | dict[str, str]) -> str:
    assert isinstance(response, httpx.Response), f"expected a page, got {response}"
    assert response.status_code == 200, response.text[:500]
    return urlsplit(str(response.url)).path


FIXTURE_DIR = Path(__file__).parent
