"""The legacy token shape behind its settings flag, and an employer-rules service that
is down or slow failing the login closed, as any register does."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.integration.orgno.conftest import JON, NORA, ORGNO, MakeLogin, OrgnoLogin
from tests.support.login_driver import query_of
from tests.support.orgno_stack import OrgnoStack, run_orgno_stack
from tests.support.pages import assert_page, way_back
from tests.support.servers import free_port

OTER = "318610584"


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory, mock_altinn: str) -> Iterator[OrgnoStack]:
    folder = tmp_path_factory.mktemp("legacy")
    with run_orgno_stack(folder, mock_altinn, {"legacy_shape": True}) as running:
        yield running


def test_the_legacy_shape(legacy: OrgnoStack) -> None:
    one = OrgnoLogin(legacy, "confidential-service")
    try:
        # the old shape names one organisation: the picker offers one choice only
        picker = one.entra(NORA, allow_multiple_organizations=True)
        assert 'type="radio"' in picker.text
        assert 'type="checkbox"' not in picker.text
        body = one.tokens(one.choose(picker, OTER))
    finally:
        one.driver.close()
    assert body["authorization_details"] == [
        {"type": ORGNO, "orgno": {"authority": "iso6523-actorid-upis", "ID": f"0192:{OTER}"}}
    ]


@pytest.fixture
def down(tmp_path_factory: pytest.TempPathFactory, mock_altinn: str) -> Iterator[OrgnoStack]:
    folder = tmp_path_factory.mktemp("down")
    nothing = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with run_orgno_stack(folder, mock_altinn, {"base_url": nothing}) as running:
        yield running


def fails_closed(one: OrgnoLogin, within_seconds: float) -> None:
    started = time.perf_counter()
    page = assert_page(one.entra(JON), 503)
    assert time.perf_counter() - started < within_seconds
    assert not page.parties
    back = query_of(way_back(one.driver.browser, page, one.driver.redirect_uri))
    assert back["error"] == "temporarily_unavailable"
    assert "code" not in back


def test_down_fails_the_login_closed(down: OrgnoStack) -> None:
    one = OrgnoLogin(down, "confidential-service")
    try:
        fails_closed(one, within_seconds=10)
    finally:
        one.driver.close()


def test_slow_fails_the_login_closed(stack: OrgnoStack, login: MakeLogin) -> None:
    stack.rules.delay = 5.0  # the source's deadline is 1 s
    try:
        fails_closed(login(), within_seconds=4.0)
    finally:
        stack.rules.delay = 0.0
    again = login()
    assert again.offered(again.entra(JON))  # the same login works once it answers in time
