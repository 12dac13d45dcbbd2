"""What the broker refuses, each with a clear page and no token: a forged, replayed or
foreign-browser state, a wrong nonce, an id_token from another issuer, for another
client, expired or signed with another key, an answer that names another issuer (RFC
9207), and one upstream's answer presented at another eID's callback (mix-up)."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from ansattporten.upstream_mocks.faults import Faults
from tests.integration.eids.conftest import ALL, LARS, MakeDriver
from tests.support.eid_driver import EidDriver
from tests.support.eid_stack import EidStack
from tests.support.login_driver import query_of


def answer_from_idporten(driver: EidDriver, acr: str = ALL) -> tuple[str, str]:
    """(login URL, the callback URL ID-porten sends the browser to)."""
    login_url = driver.start(acr_values=acr)
    page = driver.upstream_via(login_url, "idporten" if acr == ALL else None)
    return login_url, driver.idporten_national(page, LARS)


def back_link(page: httpx.Response) -> str:
    return page.text.split('class="button button--secondary" href="')[1].split('"')[0]


def assert_refused(driver: EidDriver, page: httpx.Response, error: str = "server_error") -> None:
    """A page in the person's language, no code, and the service told `error`."""
    assert page.status_code == 400, (page.status_code, page.text[:300])
    assert "code=" not in page.text
    back = driver.browser.get(back_link(page))
    sent = query_of(back.headers["location"])
    assert sent["error"] == error
    assert "code" not in sent


def test_a_replayed_state_is_refused(make_driver: MakeDriver) -> None:
    driver = make_driver()
    _, callback = answer_from_idporten(driver)
    first = driver.arrive(callback)
    assert first.status_code == 303
    again = driver.arrive(callback)
    assert again.status_code in (400, 409)
    assert "code=" not in again.text
    assert "location" not in again.headers


def test_a_replay_while_the_login_waits_again_finds_nothing(make_driver: MakeDriver) -> None:
    """Cancelled at ID-porten, back at the selector: that answer cannot be used again,
    nor can the state of the leg a new choice replaced."""
    driver = make_driver()
    login_url = driver.start(acr_values=ALL)
    cancelled = driver.idporten_cancel(driver.upstream_via(login_url, "idporten"))
    assert driver.arrive(cancelled).status_code == 303
    replayed = driver.arrive(cancelled)
    assert replayed.status_code == 400
    assert "cancelled" not in replayed.headers.get("location", "")
    driver.upstream_via(login_url, "idporten")  # a new leg; the old state is dead
    assert driver.arrive(cancelled).status_code == 400


def test_a_forged_state_is_refused_and_changes_nothing(make_driver: MakeDriver) -> None:
    driver = make_driver()
    login_url, callback = answer_from_idporten(driver)
    login_id = urlsplit(login_url).path.rsplit("/", 1)[1]
    query = query_of(callback)
    for state in (f"{login_id}.{secrets.token_urlsafe(32)}", secrets.token_urlsafe(40), ""):
        forged = {**query, "state": state}
        page = driver.browser.get(f"{driver.base_url}/eid/idporten/callback?{urlencode(forged)}")
        assert page.status_code == 400, page.text[:200]
        assert "location" not in page.headers
    assert driver.arrive(callback).status_code == 303  # the real answer still works


def test_an_answer_brought_by_another_browser_changes_nothing(
    make_driver: MakeDriver,
) -> None:
    driver = make_driver()
    _, callback = answer_from_idporten(driver)
    with httpx.Client() as stranger:
        page = stranger.get(callback)
    assert page.status_code == 403
    assert driver.arrive(callback).status_code == 303


@pytest.mark.parametrize(
    "faults",
    [
        Faults(id_token_nonce="not-the-nonce-we-sent"),
        Faults(id_token_issuer="https://another-issuer.example"),
        Faults(id_token_audience="another-client"),
        Faults(id_token_expired=True),
        Faults(sign_with_unpublished_key=True),
        Faults(response_issuer="https://another-issuer.example"),
        Faults(omit_response_issuer=True),
    ],
    ids=["nonce", "issuer", "audience", "expired", "key", "response-iss", "no-response-iss"],
)
def test_an_answer_that_fails_a_check_ends_the_login_without_a_token(
    make_driver: MakeDriver, stack: EidStack, faults: Faults
) -> None:
    driver = make_driver()
    login_url = driver.start(acr_values=ALL)
    page = driver.upstream_via(login_url, "idporten")
    stack.idporten.faults = faults
    refused = driver.arrive(driver.idporten_national(page, LARS))
    stack.idporten.faults = Faults()
    assert_refused(driver, refused)
    assert "ID-porten" in refused.text


def test_mix_up_an_answer_at_another_eids_callback(make_driver: MakeDriver) -> None:
    driver = make_driver()
    _, callback = answer_from_idporten(driver)
    at_entra = callback.replace("/eid/idporten/callback", "/eid/entraid/callback")
    refused = driver.arrive(at_entra)
    assert_refused(driver, refused)
    assert driver.arrive(callback).status_code in (400, 409)  # and it is spent


def test_a_callback_for_an_unknown_eid(make_driver: MakeDriver) -> None:
    driver = make_driver()
    _, callback = answer_from_idporten(driver)
    page = driver.arrive(callback.replace("/eid/idporten/", "/eid/nosuch/"))
    assert page.status_code == 404
    assert driver.arrive(callback).status_code == 303


def test_keys_rotated_at_the_upstream_are_fetched(make_driver: MakeDriver, stack: EidStack) -> None:
    for keep_previous in (True, False):
        stack.idporten.keys.rotate(keep_previous=keep_previous)
        driver = make_driver()
        _, callback = answer_from_idporten(driver)
        done = driver.onwards(driver.arrive(callback))
        assert "code" in driver.callback(done)


def test_tokens_of_the_upstream_never_reach_the_service(
    make_driver: MakeDriver, stack: EidStack
) -> None:
    driver = make_driver()
    _, callback = answer_from_idporten(driver)
    upstream_code = query_of(callback)["code"]
    body = driver.redeem(driver.callback(driver.onwards(driver.arrive(callback)))["code"]).json()
    text = str(body)
    assert upstream_code not in text
    assert stack.idporten.issuer not in text


def test_pages_at_the_callback_never_link_to_the_upstreams_answer(
    make_driver: MakeDriver,
) -> None:
    """The language menu of a page shown at the callback returns to the bare callback
    path, not to an address that carries the upstream's code and state."""
    driver = make_driver()
    _, callback = answer_from_idporten(driver)
    with httpx.Client() as stranger:
        page = stranger.get(callback)
    query = query_of(callback)
    assert page.status_code == 403
    assert query["code"] not in page.text
    assert query["state"] not in page.text


@pytest.mark.postgres
def test_on_postgresql_the_answer_is_taken_once(postgres_url: str) -> None:
    """The leg is kept and taken by the PostgreSQL store as by SQLite's."""
    from tests.support.eid_stack import run_eid_stack

    with run_eid_stack(postgres_url, {"rate_limit": False}) as stack:
        driver = EidDriver(stack.provider)
        try:
            _, callback = answer_from_idporten(driver)
            assert "code" in driver.callback(driver.onwards(driver.arrive(callback)))
            assert driver.arrive(callback).status_code in (400, 409)
        finally:
            driver.close()
