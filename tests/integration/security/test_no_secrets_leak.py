"""No national identity number, code, token, assertion or client secret in the logs,
even at DEBUG and even when something fails; and the national identity number never in
a URL the browser is sent to (browser history, Referer, proxy logs: RFC 9700 4.2, 4.3).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from ansattporten.flows import issue_code
from ansattporten.logging_setup import JsonFormatter
from ansattporten.spec.rfc7523 import ASSERTION_TYPE
from tests.integration.security.conftest import driver_factory
from tests.integration.security.support import PID, SecurityDriver
from tests.support.login_driver import forms_of
from tests.support.oauth_checks import sqlite_url_in
from tests.support.provider import RunningProvider, run_provider

OTHER_PID = "10850199405"  # tests/fixtures/testid_people.json second_employee


class Capture(logging.Handler):
    """Every record, formatted as the provider writes it and as raw attributes (so an
    argument or `extra` that a formatter would drop is seen too)."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.lines: list[str] = []
        self.raw: list[str] = []
        self.formatter_ = JsonFormatter()

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.formatter_.format(record))
        self.raw.append(repr(vars(record)))

    @property
    def texts(self) -> list[str]:
        return self.lines + self.raw


@pytest.fixture(scope="module")
def debug_provider(
    tmp_path_factory: pytest.TempPathFactory, make_settings
) -> Iterator[RunningProvider]:
    url = sqlite_url_in(tmp_path_factory, "logs")
    # no retry window: a code or refresh token used again at once is reuse, so the
    # revocation path runs (and logs) within the test
    settings = make_settings(log_level="DEBUG", token_retry_seconds=0)
    with run_provider(url, settings) as running:
        yield running


@pytest.fixture
def drivers(debug_provider, client_keys) -> Iterator[object]:
    make, made = driver_factory(debug_provider, client_keys)
    yield make
    for driver in made:
        driver.close()


@pytest.fixture
def logs() -> Iterator[Capture]:
    root = logging.getLogger()
    capture = Capture()
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(capture)
    yield capture
    root.removeHandler(capture)
    root.setLevel(level)


def watch_browser(driver: SecurityDriver) -> list[str]:
    """Record every URL the browser requests and every Location it is sent to."""
    seen: list[str] = []

    def on_request(request: httpx.Request) -> None:
        seen.append(str(request.url))

    def on_response(response: httpx.Response) -> None:
        if "location" in response.headers:
            seen.append(response.headers["location"])

    driver.browser.event_hooks = {"request": [on_request], "response": [on_response]}
    return seen


def assert_absent(lines: list[str], secrets: dict[str, str]) -> None:
    for name, secret in secrets.items():
        assert secret, name
        leaks = [line[:400] for line in lines if secret in line]
        assert not leaks, f"{name} appears in the log: {leaks[0]}"


def test_the_guard_sees_what_the_provider_logs(logs):
    """Control: a record of the provider's loggers, at DEBUG, reaches the capture."""
    logging.getLogger("ansattporten.web").debug("guard %s", "sentinel-0123456789")

    assert any("sentinel-0123456789" in line for line in logs.lines)


def test_whole_logins_leave_no_secret_in_the_logs(drivers, logs):
    secrets: dict[str, str] = {"pid": PID, "other_pid": OTHER_PID}

    # client_secret_basic, with refresh, reuse detection, introspection and logout
    refresher: SecurityDriver = drivers("refresh-service")
    secrets["refresh_secret"] = refresher.secret or ""
    secrets["verifier"] = refresher.verifier
    code = refresher.login_for_code(PID)
    tokens = refresher.redeem(code).json()
    secrets |= {"code": code, **{f"first_{k}": tokens[k] for k in ("access_token", "id_token")}}
    secrets["first_refresh"] = tokens["refresh_token"]
    assert refresher.userinfo(tokens["access_token"]).status_code == 200
    assert refresher.introspect(tokens["access_token"]).json()["active"] is True
    refreshed = refresher.refresh(tokens["refresh_token"]).json()
    secrets |= {
        "second_access": refreshed["access_token"],
        "second_refresh": refreshed["refresh_token"],
    }
    assert refresher.refresh(tokens["refresh_token"]).status_code == 400  # reuse
    assert refresher.redeem(code).status_code == 400  # code reuse
    refresher.browser.get("/logout", params={"id_token_hint": tokens["id_token"]})

    # client_secret_post, with a wrong secret of the same length
    poster: SecurityDriver = drivers("post-service")
    secrets["post_secret"] = poster.secret or ""
    wrong = (poster.secret or "")[:-1] + "X"
    secrets["wrong_secret"] = wrong
    post_code = poster.login_for_code(OTHER_PID)
    secrets["post_code"] = post_code
    assert poster.redeem(post_code, client_secret=wrong).status_code == 401
    assert poster.redeem(post_code).status_code == 200  # a refused client consumes nothing

    # private_key_jwt, with a replayed assertion
    signer: SecurityDriver = drivers("jwt-service")
    assertion = signer.assertion()
    secrets["assertion"] = assertion
    replay = {"token": "x", "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}
    assert signer.service.post("/token/introspect", data=replay).status_code == 200
    assert signer.service.post("/token/introspect", data=replay).status_code == 401
    jwt_tokens = signer.tokens()
    secrets["jwt_access"] = jwt_tokens["access_token"]

    # a login form posted without its CSRF token carries the number too
    stray: SecurityDriver = drivers("confidential-service")
    login_url = stray.start()
    form = next(f for f in forms_of(stray.browser.get(login_url).text) if "testid" in f.action)
    secrets["csrf_token"] = form.fields["csrf_token"]
    refused = stray.browser.post(form.action, data={"pid": PID})
    assert refused.status_code == 403

    assert_absent(logs.texts, secrets)


def test_a_database_error_does_not_write_personal_data_to_the_log(drivers, logs, monkeypatch):
    """Force a unique-key violation while a login is written (the grant and code ids
    repeat): the error is logged, the statement's parameters - which hold the
    national identity number - are not."""
    monkeypatch.setattr(issue_code, "new_grant_id", lambda: "the-same-id-every-time")
    first: SecurityDriver = drivers("confidential-service")
    first.login_for_code(PID)
    second: SecurityDriver = drivers("confidential-service")

    failed = second.login(second.start(), PID)

    assert failed.status_code == 500
    assert "Traceback" not in failed.text
    assert any("IntegrityError" in line for line in logs.lines)  # the failure is logged ...
    assert_absent(logs.texts, {"pid": PID})  # ... without the person


def test_the_pid_is_never_in_a_url_the_browser_is_sent_to(drivers):
    watched: list[list[str]] = []
    for client_id in ("confidential-service", "refresh-service"):
        driver: SecurityDriver = drivers(client_id)
        watched.append(watch_browser(driver))
        # an error first (wrong number), then the login
        login_url = driver.start()
        page = driver.browser.get(login_url)
        form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
        driver.browser.post(form.action, data={**form.fields, "pid": "45840375085"})
        code = driver.callback(driver.login(login_url, PID))["code"]
        assert driver.redeem(code).status_code == 200

    seen = [url for urls in watched for url in urls]
    assert any("/login/" in url for url in seen)
    assert any("code=" in url for url in seen)
    assert not [url for url in seen if PID in url or "45840375085" in url]
