"""The database stopped, or hung: every endpoint that needs it answers 503 with
`Retry-After` (JSON `temporarily_unavailable` on the back channel, a page with a way to
try again in the browser), the log says so once when the outage begins and once when it
ends - never a traceback per request - and a hung database is given up on after
`database_timeout_seconds` instead of holding requests as long as it hangs.

A PostgreSQL cluster of this module's own, so stopping it disturbs no other test."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from bench.postgres import Cluster, _as_postgres, postgres_cluster
from tests.integration.security.conftest import driver_factory
from tests.integration.security.support import PID, SecurityDriver
from tests.support.pages import assert_page
from tests.support.postgres import TEST_SETTINGS
from tests.support.provider import RunningProvider, run_provider

TIMEOUT = 2.0
"""`database_timeout_seconds` of this module's provider."""


def pg_ctl(cluster: Cluster, *arguments: str) -> None:
    command = [str(cluster.bindir / "pg_ctl"), "-D", str(cluster.data_dir), "-w", *arguments]
    subprocess.run(_as_postgres(command), check=True, capture_output=True, timeout=60)


def start_again(cluster: Cluster) -> None:
    port = cluster.admin_url.rsplit(":", 1)[1].split("/")[0]
    workdir = cluster.data_dir.parent
    options = f"-h 127.0.0.1 -p {port} -k {workdir} {TEST_SETTINGS}"
    pg_ctl(cluster, "-l", str(workdir / "log"), "-o", options, "start")


def cluster_pids(cluster: Cluster) -> list[int]:
    """The postmaster and every process it started (the backends holding connections)."""
    postmaster = cluster.postmaster_pid
    children = subprocess.run(
        ["pgrep", "-P", str(postmaster)], capture_output=True, text=True, check=False
    ).stdout.split()
    return [postmaster, *map(int, children)]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with postgres_cluster(TEST_SETTINGS, prefix="ansattporten-outage-pg-") as running:
        yield running


@pytest.fixture(scope="module")
def provider(
    cluster: Cluster, make_settings: Callable[..., dict[str, Any]]
) -> Iterator[RunningProvider]:
    url = cluster.create_database("outage")
    settings = make_settings(database_timeout_seconds=TIMEOUT, key_reload_seconds=3600)
    with run_provider(url, settings) as running:
        yield running


@pytest.fixture
def driver(provider, client_keys) -> Iterator[SecurityDriver]:
    make, made = driver_factory(provider, client_keys)
    yield make("refresh-service")
    for each in made:
        each.close()


def every_endpoint(driver: SecurityDriver, tokens: dict[str, Any], login_url: str):
    """(name, the answer expected, the request) for every endpoint that needs the
    database (discovery and the JWKS do not: keys are kept in memory, and a logout
    without a hint only says the person is logged out). "json": the back channel;
    "retry": a page with a link that tries the step again; "page": a page that says to
    start again from the service (a post whose form lives there, like a logout, cannot
    be repeated by a link: its id_token must not go into a URL)."""
    browser = driver.browser
    login_id = login_url.rstrip("/").rsplit("/", 1)[1]
    return [
        ("par", "json", lambda: driver.push(driver.params())),
        ("token", "json", lambda: driver.redeem("a" * 43)),
        ("refresh", "json", lambda: driver.refresh(tokens["refresh_token"])),
        ("introspect", "json", lambda: driver.introspect(tokens["access_token"])),
        ("revoke", "json", lambda: driver.revoke(tokens["refresh_token"])),
        ("userinfo", "json", lambda: driver.userinfo(tokens["access_token"])),
        ("authorize", "retry", lambda: driver.authorize(driver.params())),
        ("login page", "retry", lambda: browser.get(login_url)),
        (
            "login post",
            "retry",
            lambda: browser.post(f"/login/{login_id}/testid", data={"pid": PID}),
        ),
        ("picker", "retry", lambda: browser.get(f"/organisation/{login_id}")),
        (
            "logout",
            "page",
            lambda: browser.post("/logout", data={"id_token_hint": tokens["id_token"]}),
        ),
    ]


def assert_unavailable(name: str, expected: str, response: httpx.Response) -> None:
    assert response.status_code == 503, (name, response.status_code, response.text[:300])
    assert int(response.headers["retry-after"]) > 0, name
    if expected == "json":
        assert response.json()["error"] == "temporarily_unavailable", name
        return
    assert_page(response, 503)
    assert "midlertidig utilgjengelig" in response.text, name
    assert "starte på nytt fra tjenesten" in response.text, name
    if expected == "retry":
        assert "Prøv igjen</a>" in response.text, f"{name}: no way to try again"


def test_a_stopped_database_answers_503_everywhere_and_logs_each_change_once(
    cluster, provider, driver, caplog
):
    tokens = driver.tokens()
    # prompt=login: the browser's session with this service would otherwise log it in
    # silently, straight back to the service, and there would be no login page to ask for
    login_url = driver.authorize(driver.params(prompt="login")).headers["location"]
    endpoints = every_endpoint(driver, tokens, login_url)
    caplog.set_level(logging.INFO)

    pg_ctl(cluster, "-m", "fast", "stop")
    try:
        for _ in range(3):  # many requests, one outage
            for name, expected, send in endpoints:
                assert_unavailable(name, expected, send())
    finally:
        start_again(cluster)
    back = driver.tokens()

    assert "access_token" in back
    records = [r for r in caplog.records if r.name.startswith("ansattporten")]
    assert not [r for r in records if r.exc_info], "a traceback was logged"
    changes = [r.getMessage() for r in records if "database" in r.getMessage()]
    assert len(changes) == 2, changes
    assert changes[0].startswith("database unavailable")
    assert changes[1] == "database available again"


def test_a_hung_database_is_given_up_on_after_the_timeout(cluster, provider, driver):
    driver.tokens()  # connections open and in use
    pids = cluster_pids(cluster)
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = driver.push(driver.params())
        waited = time.monotonic() - started
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)

    assert response.status_code == 503, response.text
    assert response.json()["error"] == "temporarily_unavailable"
    assert waited < 3 * TIMEOUT + 2, waited
    assert "access_token" in driver.tokens()
