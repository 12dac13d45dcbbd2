"""A provider for the tests of isolated sessions: the Altinn source at a mock Altinn that
counts its requests and can withdraw a right, a service registered for back-channel
logout at a receiver of its own, and a clock the tests move on."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from tests.support.altinn_oracle import units
from tests.support.login_driver import CLIENTS, LoginDriver
from tests.support.logout_receiver import LogoutReceiver
from tests.support.provider import MovableClock, RunningProvider, base_settings, run_provider
from tests.support.servers import serve_in_thread
from tests.support.switchable_asgi import Switchable

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PID = "23865938772"
"""`main_with_subunits` of altinn_people.json: daglig leder of an AS with sub-units."""


class CountingRegister(Switchable):
    """The mock Altinn (as it is, or after the person lost a right), counting the
    requests it is asked: a silent login that asks the registers again shows here."""

    def __init__(self, **apps: Any) -> None:
        super().__init__(**apps)
        self.requests = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.requests += 1
        await super().__call__(scope, receive, send)


def main_unit_orgno() -> str:
    demo = json.loads(DEMO_FIXTURE.read_text())
    return next(unit.orgno for unit in units(demo, PID) if unit.parent is None)


def withdrawn(orgno: str) -> dict[str, Any]:
    """The demo fixture with the person's connections from `orgno` removed."""
    demo = json.loads(DEMO_FIXTURE.read_text())
    changed = copy.deepcopy(demo)
    changed["connections"] = [
        c for c in changed["connections"] if not (c["from"] == orgno and c["to"] == PID)
    ]
    return changed


@pytest.fixture(scope="module")
def register() -> Iterator[tuple[CountingRegister, str]]:
    demo = json.loads(DEMO_FIXTURE.read_text())
    counting = CountingRegister(
        before=create_mock_app(demo), after=create_mock_app(withdrawn(main_unit_orgno()))
    )
    with serve_in_thread(counting) as url:
        yield counting, url


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[LogoutReceiver, str]]:
    app = LogoutReceiver()
    with serve_in_thread(app) as url:
        yield app, f"{url}/backchannel"


def logout_client(backchannel_uri: str) -> dict[str, Any]:
    secret, redirect_uri, _ = CLIENTS["logout-service"]
    return {
        "client_id": "logout-service",
        "client_secret": secret,
        "redirect_uris": [redirect_uri],
        "post_logout_redirect_uris": ["http://127.0.0.1/logout-service/logged-out"],
        "backchannel_logout_uri": backchannel_uri,
    }


def public_logout_client(backchannel_uri: str) -> dict[str, Any]:
    """`logout-service`'s twin with `subject_type = "public"`."""
    secret, redirect_uri, _ = CLIENTS["public-logout-service"]
    return {
        "client_id": "public-logout-service",
        "client_secret": secret,
        "redirect_uris": [redirect_uri],
        "subject_type": "public",
        "backchannel_logout_uri": backchannel_uri,
    }


def front_client(receiver_url: str) -> dict[str, Any]:
    """A service registered for front-channel logout (with `iss` and `sid`), at the
    receiver's origin."""
    secret, redirect_uri, _ = CLIENTS["front-service"]
    return {
        "client_id": "front-service",
        "client_secret": secret,
        "redirect_uris": [redirect_uri],
        "post_logout_redirect_uris": [f"{receiver_url}/logged-out"],
        "frontchannel_logout_uri": f"{receiver_url}/frontchannel?x=1",
        "frontchannel_logout_session_required": True,
    }


def session_settings(register_url: str, backchannel_uri: str, **more: Any) -> dict[str, Any]:
    """Provider overrides: the usual clients, `logout-service` (back-channel logout at
    `backchannel_uri`) and `front-service` (front-channel logout at the same origin),
    the Altinn source."""
    origin = backchannel_uri.rsplit("/", 1)[0]
    return {
        "clients": [
            *base_settings()["clients"],
            logout_client(backchannel_uri),
            public_logout_client(backchannel_uri),
            front_client(origin),
        ],
        "sources": {"altinn": {"base_url": register_url}},
        "rate_limit": False,
        "backchannel_read_timeout": 1.0,
        "backchannel_connect_timeout": 1.0,
        **more,
    }


@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="module")
def session_provider(
    register: tuple[CountingRegister, str],
    receiver: tuple[LogoutReceiver, str],
    clock: MovableClock,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningProvider]:
    database = tmp_path_factory.mktemp("sessions") / "ansattporten.db"
    settings = session_settings(register[1], receiver[1])
    with run_provider(f"sqlite:///{database}", settings, clock) as running:
        yield running


MakeDriver = Callable[..., LoginDriver]


@pytest.fixture
def make_driver(session_provider: RunningProvider) -> Iterator[MakeDriver]:
    """`make_driver(client_id)`: a service, with `browser` as its person's browser when
    given (the same cookies), else a fresh one; closed after the test."""
    made: list[LoginDriver] = []

    def make(
        client_id: str = "confidential-service", browser: LoginDriver | None = None
    ) -> LoginDriver:
        driver = LoginDriver(session_provider.base_url, client_id=client_id)
        made.append(driver)
        if browser is not None:  # one person, one browser: the same client and cookie jar
            driver.browser.close()
            driver.browser = browser.browser
        return driver

    yield make
    for driver in made:
        driver.close()
