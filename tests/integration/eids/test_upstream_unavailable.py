"""An upstream eID the person cancels at, that is down, or that answers too slowly:
the person is told plainly (never the upstream's own error text), and the service gets
`access_denied` or `temporarily_unavailable`."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ansattporten.upstream_mocks.faults import Faults
from tests.integration.eids.conftest import ALL, LARS, MakeDriver, stack_for
from tests.support.eid_driver import EidDriver
from tests.support.eid_stack import EidStack
from tests.support.login_driver import query_of


def back_to_service(driver: EidDriver, page: httpx.Response) -> dict[str, str]:
    link = page.text.split('class="button button--secondary" href="')[1].split('"')[0]
    answer = driver.browser.get(link)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(driver.redirect_uri)
    return query_of(answer.headers["location"])


def test_cancel_at_the_upstream_returns_to_the_selector(make_driver: MakeDriver) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values=ALL)
    cancelled = driver.idporten_cancel(driver.upstream_via(login_url, "idporten"))
    assert query_of(cancelled)["error"] == "access_denied"
    back = driver.arrive(cancelled)
    assert back.status_code == 303
    selector = driver.browser.get(back.headers["location"])
    assert selector.status_code == 200
    assert "Innloggingen med ID-porten ble avbrutt" in selector.text
    assert "The user cancelled" not in selector.text  # the upstream's own words, never
    page = driver.upstream_via(login_url, "idporten")  # and choose again
    done = driver.onwards(driver.arrive(driver.idporten_national(page, LARS)))
    assert "code" in driver.callback(done)


def test_cancel_at_the_only_eid_returns_to_the_service(make_driver: MakeDriver) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values="eidas-loa-substantial")
    back = driver.arrive(driver.idporten_cancel(driver.upstream_via(login_url)))
    answer = driver.callback(back)
    assert answer["error"] == "access_denied"
    assert answer["state"] == driver.state
    assert "code" not in answer


def test_an_upstream_that_is_down_at_the_start(make_driver: MakeDriver, stack: EidStack) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values=ALL)
    stack.idporten.faults = Faults(unavailable=True)
    page = driver.choose_eid(login_url, "idporten")
    assert page.status_code == 503
    assert "ID-porten" in page.text
    assert back_to_service(driver, page)["error"] == "temporarily_unavailable"


def test_an_upstream_that_goes_down_before_the_code_is_redeemed(
    make_driver: MakeDriver, stack: EidStack
) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values=ALL)
    callback = driver.idporten_national(driver.upstream_via(login_url, "idporten"), LARS)
    stack.idporten.faults = Faults(unavailable=True)
    page = driver.arrive(callback)
    assert page.status_code == 503
    assert back_to_service(driver, page)["error"] == "temporarily_unavailable"


def test_an_upstream_error_is_shown_in_our_words(make_driver: MakeDriver) -> None:
    for error, status, told in (
        ("temporarily_unavailable", 503, "temporarily_unavailable"),
        ("invalid_request", 502, "server_error"),
    ):
        fresh = make_driver()
        _login_url, callback = start_and_answer(fresh)
        query = query_of(callback)
        sent = {"state": query["state"], "iss": query["iss"], "error": error,
                "error_description": "<script>alert(1)</script> upstream says"}  # fmt: skip
        page = fresh.browser.get(f"{fresh.base_url}/eid/idporten/callback", params=sent)
        assert page.status_code == status
        assert "upstream says" not in page.text
        assert "<script>alert" not in page.text
        assert back_to_service(fresh, page)["error"] == told


def start_and_answer(driver: EidDriver) -> tuple[str, str]:
    login_url = driver.start(acr_values=ALL)
    return login_url, driver.idporten_national(driver.upstream_via(login_url, "idporten"), LARS)


@pytest.fixture(scope="module")
def impatient(tmp_path_factory: pytest.TempPathFactory, mock_altinn: str) -> Iterator[EidStack]:
    """A provider that waits at most half a second for ID-porten."""
    with stack_for(
        tmp_path_factory, mock_altinn, eids={"idporten": {"timeout_seconds": 0.5}}
    ) as running:
        yield running


def test_an_upstream_that_is_too_slow(impatient: EidStack) -> None:
    driver = EidDriver(impatient.provider)
    try:
        login_url = driver.start(acr_values=ALL)
        callback = driver.idporten_national(driver.upstream_via(login_url, "idporten"), LARS)
        impatient.idporten.faults = Faults(delay_seconds=1.5)
        page = driver.arrive(callback)
        assert page.status_code == 503
        assert back_to_service(driver, page)["error"] == "temporarily_unavailable"
    finally:
        impatient.idporten.faults = Faults()
        driver.close()
