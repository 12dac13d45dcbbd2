"""A register that is down or late fails the login closed (DESIGN, "the source
contract"): a 503 page at the picker step, no code, a way back that tells the service
`temporarily_unavailable`, and an audit record saying so."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

import pytest

from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from tests.support import altinn_oracle as oracle
from tests.support.login_driver import LoginDriver, query_of
from tests.support.pages import assert_page, way_back
from tests.support.provider import RunningProvider, run_provider
from tests.support.representation import to_picker
from tests.support.servers import free_port, serve_in_thread
from tests.support.tokens import rows

RESOURCE = "app_ttd_apps-test"
TIMEOUT_MS = 300
DELAY_MS = 1500


@pytest.fixture(scope="module")
def slow_altinn() -> Iterator[str]:
    with serve_in_thread(create_mock_app(DEMO_FIXTURE, delay_ms=DELAY_MS)) as base_url:
        yield base_url


def altinn_at(base_url: str, tmp_path) -> Iterator[RunningProvider]:
    sources = {"altinn": {"base_url": base_url, "timeout_ms": TIMEOUT_MS}}
    with run_provider(f"sqlite:///{tmp_path / 'ansattporten.db'}", {"sources": sources}) as running:
        yield running


@pytest.fixture(params=["down", "slow"])
def broken_provider(request, tmp_path) -> Iterator[RunningProvider]:
    if request.param == "down":
        base_url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    else:
        base_url = request.getfixturevalue("slow_altinn")
    yield from altinn_at(base_url, tmp_path)


def test_picker_step_fails_closed(broken_provider, altinn_people, altinn_demo):
    pid = altinn_people["main_with_subunits"]
    assert oracle.eligible(altinn_demo, pid, RESOURCE), "the register would have offered some"
    driver = LoginDriver(broken_provider.base_url)
    try:
        picker = to_picker(driver, [oracle.resource_detail(RESOURCE)], pid)

        started = time.perf_counter()
        response = driver.browser.get(picker)
        elapsed_ms = (time.perf_counter() - started) * 1000

        page = assert_page(response, 503)
        assert not page.parties
        assert elapsed_ms < DELAY_MS - 300, "the source's deadline must cut the wait short"

        back = query_of(way_back(driver.browser, page, driver.redirect_uri))
        assert back["error"] == "temporarily_unavailable"
        assert back["state"] == driver.state
        assert back["iss"] == broken_provider.settings.issuer
        assert "code" not in back
        # the failed login stays failed: asking again gives no picker and no code
        again = driver.browser.get(picker)
        assert again.status_code >= 400
        assert "location" not in again.headers
    finally:
        driver.close()

    database = broken_provider.settings.database_url
    assert rows(database, "SELECT count(*) AS n FROM authorization_codes")[0]["n"] == 0
    [record] = rows(database, "SELECT * FROM audit_records")
    assert record["outcome"] == "register_unavailable"
    assert record["pid"] == pid
    assert record["client_id"] == driver.client_id
    assert json.loads(record["chosen"]) == []
    timings = json.loads(record["sources"])
    assert [t["source"] for t in timings] == ["altinn"]
    assert timings[0]["outcome"] in ("timeout", "unavailable")
    assert timings[0]["ms"] < DELAY_MS


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_failed_register_call_is_one_log_line_without_the_person(broken_provider, altinn_people):
    pid = altinn_people["main_with_subunits"]
    capture = Records()
    logging.getLogger().addHandler(capture)
    driver = LoginDriver(broken_provider.base_url)
    try:
        picker = to_picker(driver, [oracle.resource_detail(RESOURCE)], pid)
        assert driver.browser.get(picker).status_code == 503
    finally:
        driver.close()
        logging.getLogger().removeHandler(capture)

    failures = [r for r in capture.records if r.name == "ansattporten.registers"]
    assert len(failures) == 1, [r.getMessage() for r in failures]
    [line] = failures
    assert line.levelno == logging.WARNING
    assert line.source == "altinn"  # type: ignore[attr-defined]
    assert line.outcome in ("timeout", "unavailable")  # type: ignore[attr-defined]
    assert 0 <= line.ms < DELAY_MS  # type: ignore[attr-defined]
    assert line.getMessage().startswith(f"register altinn failed: {line.outcome}")  # type: ignore[attr-defined]
    everything = " ".join(f"{r.getMessage()} {vars(r)!r}" for r in capture.records)
    assert pid not in everything
