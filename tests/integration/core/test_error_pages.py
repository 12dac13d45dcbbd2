"""Error pages a person can act on: what happened in their language, what to do, and a
support reference that is also in the provider's log; the rate-limit page says when to
try again."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from ansattporten.logging_setup import JsonFormatter
from ansattporten.web.i18n import default_catalogues
from tests.support.login_driver import LoginDriver, forms_of
from tests.support.provider import RunningProvider, run_provider

PID = json.loads(
    (Path(__file__).resolve().parents[2] / "fixtures" / "testid_people.json").read_text()
)["plain_employee"]


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The provider's log as an operator reads it (JSON lines with the request id)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("ansattporten.web")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(previous)


def reference_on(page: str) -> str:
    found = re.search(r'class="request-id">[^<]*<code>([^<]+)</code>', page)
    assert found, page[-1500:]
    return found.group(1)


def test_support_reference_is_in_the_log(
    shared_provider: RunningProvider, log_lines: io.StringIO
) -> None:
    driver = LoginDriver(shared_provider.base_url)
    try:
        pages = [
            driver.browser.get("/login/unknown-login"),
            driver.browser.get("/organisation/unknown-login"),
            driver.browser.get("/no/such/page"),
        ]
    finally:
        driver.close()
    logged = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    shown = [entry for entry in logged if entry["message"] == "error page shown"]
    for page in pages:
        assert page.status_code == 404
        reference = reference_on(page.text)
        assert reference == page.headers["x-request-id"]
        assert any(entry["request_id"] == reference for entry in shown), logged
        text = unescape(page.text)
        assert default_catalogues().translator("nb")("error.request_id_hint") in text


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[RunningProvider]:
    with run_provider(
        f"sqlite:///{tmp_path / 'ap.db'}", {"login_attempts_per_minute": 1}
    ) as running:
        yield running


def test_rate_limit_page_says_when_to_try_again_in_the_persons_language(
    limited: RunningProvider,
) -> None:
    if time.time() % 60 > 54:
        time.sleep(60 - time.time() % 60 + 0.05)
    driver = LoginDriver(limited.base_url)
    try:
        login_url = driver.start(ui_locales="en")
        page = driver.browser.get(login_url)
        form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
        data = {**form.fields, "pid": "45840375085", "acr": "idporten-loa-substantial"}
        first = driver.browser.post(form.action, data=data)
        refused = driver.browser.post(form.action, data=data, headers={"Accept-Language": "en"})
    finally:
        driver.close()
    assert first.status_code == 400
    assert refused.status_code == 429
    seconds = int(refused.headers["retry-after"])
    expected = default_catalogues().translator("en")("error.rate_limited", seconds=seconds)
    assert expected in unescape(refused.text)
    assert f"Wait {seconds} seconds" in expected
    assert reference_on(refused.text) == refused.headers["x-request-id"]
