"""`ansattporten demo` as it runs: every server on its own loopback port, the Altinn
source getting its tokens from the mock Maskinporten and exchanging them at the mock
Altinn, and every demo person of the README's table reaching the organisation picker
(built from roles and access packages) from the employee service."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ansattporten.cli.demo_settings import DemoPorts, demo_settings
from ansattporten.cli.run import demo_apps, demo_maskinporten
from authz_sources.altinn.mock import DEMO_FIXTURE
from authz_sources.maskinporten.mock import token_requests
from tests.support import altinn_oracle as oracle
from tests.support.servers import free_socket, serve_in_thread
from tests.support.service_browser import ServiceBrowser, offered

APPS_TEST = "app_ttd_apps-test"


@dataclasses.dataclass
class RunningDemo:
    ports: DemoPorts
    apps: dict[int, Any]

    def url(self, name: str) -> str:
        return self.ports.url("127.0.0.1", name)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningDemo]:
    names = [field.name for field in dataclasses.fields(DemoPorts)]
    sockets = {name: free_socket() for name in names}
    ports = DemoPorts(**{name: sock.getsockname()[1] for name, sock in sockets.items()})
    data_dir = tmp_path_factory.mktemp("demo")
    settings = demo_settings("127.0.0.1", ports, data_dir)
    apps = demo_apps("127.0.0.1", ports, settings)
    apps.update(demo_maskinporten("127.0.0.1", ports, data_dir))
    by_port = {sock.getsockname()[1]: sock for sock in sockets.values()}
    with contextlib.ExitStack() as running:
        for port, app in apps.items():
            running.enter_context(serve_in_thread(app, by_port[port]))
        yield RunningDemo(ports, apps)


@pytest.fixture(scope="module")
def people() -> dict[str, str]:
    return {k: v for k, v in json.loads(PEOPLE_FILE.read_text()).items() if not k.startswith("_")}


@pytest.fixture(scope="module")
def fixture() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_FIXTURE.read_text("utf-8"))
    return data


PEOPLE_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "altinn_people.json"
WITH_PARTIES = [
    role
    for role in json.loads(PEOPLE_FILE.read_text())
    if role not in ("_descriptions", "no_parties")
]


@pytest.mark.parametrize("role", WITH_PARTIES)
def test_every_demo_person_reaches_the_picker(
    demo: RunningDemo, people: dict[str, str], fixture: dict[str, Any], role: str
) -> None:
    browser = ServiceBrowser()
    try:
        picker = browser.log_in(demo.url("employee_service"), people[role])
        assert picker.status_code == 200, picker.text[:500]
        assert picker.url.path.startswith("/organisation/"), (role, picker.url)
        expected = oracle.eligible(fixture, people[role], APPS_TEST)
        shown = set(offered(picker.text))
        if len(expected) <= 50:  # a long list is paged; the first page is checked below
            assert shown == expected, role
        else:
            assert shown, role
            assert shown <= expected, role
        first = min(shown)
        back = browser.choose(picker, first)
        assert back.status_code == 200, back.text[:500]
        assert first in back.text
    finally:
        browser.close()


def test_a_person_without_parties_goes_straight_back(
    demo: RunningDemo, people: dict[str, str]
) -> None:
    browser = ServiceBrowser()
    try:
        landed = browser.log_in(demo.url("employee_service"), people["no_parties"])
        assert landed.status_code == 200
        assert "/organisation/" not in landed.url.path
        assert str(landed.url).startswith(demo.url("employee_service"))
    finally:
        browser.close()


def test_the_demo_gets_altinn_tokens_from_maskinporten(
    demo: RunningDemo, people: dict[str, str]
) -> None:
    """Logins go through the Maskinporten path: the token is asked for (and cached) and
    exchanged at the mock Altinn, which accepts nothing else."""
    browser = ServiceBrowser()
    try:
        picker = browser.log_in(demo.url("employee_service"), people["main_with_subunits"])
        assert picker.url.path.startswith("/organisation/")
    finally:
        browser.close()
    assert token_requests(demo.apps[demo.ports.maskinporten]) >= 1
    altinn_state = demo.apps[demo.ports.altinn].state["altinn"]
    assert altinn_state.gate.exchanges >= 1
