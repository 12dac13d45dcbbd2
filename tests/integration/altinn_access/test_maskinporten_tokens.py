"""The Altinn source's Maskinporten tokens over real HTTP: renewed across short
lifetimes without a login noticing, fetched once for many logins at the moment of
expiry, failing closed when Maskinporten is down, and a wrong key reported clearly."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.altinn_paths import PACKAGE
from tests.support.altinn_stack import AltinnStack, altinn_stack
from tests.support.login_driver import LoginDriver, query_of
from tests.support.maskinporten_keys import ClientKeys
from tests.support.pages import assert_page, way_back
from tests.support.representation import open_picker, redeem_details, to_picker

DETAIL = {"type": "ansattporten:altinn:resource", "resource": "urn:altinn:resource:app_ttd_paths"}


def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ansattporten.db'}"


def one_login(stack: AltinnStack) -> list[str]:
    """A whole login to the token; returns the organisations granted."""
    driver = LoginDriver(stack.provider.base_url)
    try:
        picker = to_picker(driver, [DETAIL], PACKAGE)
        tokens = redeem_details(driver, driver.choose(picker, parties=["310000035"]))
        [granted] = tokens["authorization_details"]
        return [p["orgno"]["ID"] for p in granted["authorized_parties"]]
    finally:
        driver.close()


def test_logins_across_several_renewals_of_a_five_second_token(
    tmp_path: Path, client_keys: ClientKeys, paths_fixture: dict[str, Any]
) -> None:
    with altinn_stack(database(tmp_path), paths_fixture, client_keys, token_lifetime=5) as stack:
        started = time.monotonic()
        logins = 0
        while time.monotonic() - started < 13:
            assert one_login(stack) == ["0192:310000035"]
            logins += 1
            time.sleep(0.4)
        assert logins >= 10
        # renewed about every 3.3 s (a third of the lifetime ahead of expiry), in the
        # background: 13 s of logins need 4 or 5 tokens, never one per login
        assert 3 <= stack.token_requests <= 6, stack.token_requests
        assert stack.exchanges == stack.token_requests


def test_fifty_logins_at_the_moment_of_expiry_cause_one_token_request(
    tmp_path: Path, client_keys: ClientKeys, paths_fixture: dict[str, Any]
) -> None:
    """Maskinporten is unreachable from shortly after the first token until after it
    expired, so nothing could renew it; then 50 logins arrive at once."""
    with altinn_stack(database(tmp_path), paths_fixture, client_keys, token_lifetime=6) as stack:
        assert one_login(stack) == ["0192:310000035"]
        fetched_by = time.monotonic()
        stack.outage.down = True  # the background renewals (at 4 s, 5 s, 7 s) all fail
        drivers = [LoginDriver(stack.provider.base_url) for _ in range(50)]
        try:
            pickers = [to_picker(driver, [DETAIL], PACKAGE) for driver in drivers]
            time.sleep(max(0.0, fetched_by + 9.5 - time.monotonic()))  # expired, cooled down
            stack.outage.down = False
            before = stack.token_requests
            with ThreadPoolExecutor(max_workers=50) as pool:
                pages = list(pool.map(lambda d, p: open_picker(d, p), drivers, pickers))
            assert all(page.parties == ["310000035"] for page in pages)
            assert stack.token_requests - before == 1
        finally:
            for driver in drivers:
                driver.close()


def test_maskinporten_down_fails_the_login_closed(
    tmp_path: Path, client_keys: ClientKeys, paths_fixture: dict[str, Any]
) -> None:
    with altinn_stack(database(tmp_path), paths_fixture, client_keys) as stack:
        stack.outage.down = True
        driver = LoginDriver(stack.provider.base_url)
        try:
            picker = to_picker(driver, [DETAIL], PACKAGE)
            page = assert_page(driver.browser.get(picker), 503)
            assert not page.parties
            back = query_of(way_back(driver.browser, page, driver.redirect_uri))
            assert back["error"] == "temporarily_unavailable"
            assert "code" not in back
        finally:
            driver.close()
        ready = httpx.get(f"{stack.provider.base_url}/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["source:altinn"] == "unavailable"
        stack.outage.down = False
        time.sleep(1.1)  # a failed fetch is not retried for a second
        assert one_login(stack) == ["0192:310000035"]


@pytest.fixture
def unregistered_key(tmp_path_factory: pytest.TempPathFactory) -> ClientKeys:
    return ClientKeys(tmp_path_factory.mktemp("unregistered"))


def test_a_key_maskinporten_does_not_know_is_a_clear_health_error(
    tmp_path: Path,
    client_keys: ClientKeys,
    unregistered_key: ClientKeys,
    paths_fixture: dict[str, Any],
    capfd: pytest.CaptureFixture[str],
) -> None:
    source = {"maskinporten_key": str(unregistered_key.jwk_file)}
    with altinn_stack(
        database(tmp_path),
        paths_fixture,
        client_keys,
        source={**source, "maskinporten_kid": client_keys.kid},
    ) as stack:
        ready = httpx.get(f"{stack.provider.base_url}/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["source:altinn"] == "unavailable"
    logged = capfd.readouterr().err
    [line] = [line for line in logged.splitlines() if "refused the grant" in line]
    assert "MP-120" in line
    assert "maskinporten_key" in line
    assert "maskinporten_client_id" in line
    assert "Traceback" not in logged


def test_a_business_certificate_works_like_a_key(
    tmp_path: Path, client_keys: ClientKeys, paths_fixture: dict[str, Any]
) -> None:
    source = {
        "maskinporten_key": None,
        "maskinporten_certificate": str(client_keys.p12_file),
        "maskinporten_certificate_password": client_keys.password,
    }
    with altinn_stack(database(tmp_path), paths_fixture, client_keys, source=source) as stack:
        assert one_login(stack) == ["0192:310000035"]
        assert stack.token_requests == 1


def test_without_exchange_the_maskinporten_token_goes_to_altinn(
    tmp_path: Path, client_keys: ClientKeys, paths_fixture: dict[str, Any]
) -> None:
    source = {"exchange_for_altinn_token": False}
    with altinn_stack(
        database(tmp_path),
        paths_fixture,
        client_keys,
        source=source,
        accept_maskinporten_tokens=True,
    ) as stack:
        assert one_login(stack) == ["0192:310000035"]
        assert (stack.token_requests, stack.exchanges) == (1, 0)
