"""The login form and the organisation picker form refuse a post without the login's
CSRF token, from another browser (another transaction's cookie, or none), and after the
login expired (RFC 9700 4.7 CSRF; the design's browser-bound transaction). A refused
post has no side effect: no code, no audit record, the login where it was - and the
rightful browser can still finish it afterwards (unless it expired)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from tests.integration.security.support import (
    PID,
    SecurityDriver,
    count_rows,
    http_client,
    write_sql,
)
from tests.support import altinn_oracle as oracle
from tests.support.login_driver import Form, forms_of
from tests.support.pages import assert_page
from tests.support.representation import open_picker, to_picker
from tests.support.tokens import rows

REPRESENTED = "23865938772"  # tests/fixtures/altinn_people.json main_with_subunits
DETAIL = oracle.resource_detail("app_ttd_apps-test")


@dataclass
class Login:
    """One login waiting at a form, with what a legitimate post carries."""

    driver: SecurityDriver
    url: str
    form: Form
    extra: list[tuple[str, str]]

    @property
    def interaction_id(self) -> str:
        return urlsplit(self.url).path.rstrip("/").split("/")[2]

    def pairs(self, csrf: str | None = "keep") -> list[tuple[str, str]]:
        fields = {k: v for k, v in self.form.fields.items() if k != "csrf_token"}
        if csrf == "keep":
            csrf = self.form.fields["csrf_token"]
        pairs = list(fields.items()) + self.extra
        return [*pairs, ("csrf_token", csrf)] if csrf is not None else pairs

    def post(self, browser: httpx.Client, csrf: str | None = "keep") -> httpx.Response:
        return post_pairs(browser, self.form.action, self.pairs(csrf))


def post_pairs(browser: httpx.Client, url: str, pairs: list[tuple[str, str]]) -> httpx.Response:
    return browser.post(
        url,
        content=urlencode(pairs),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def at_login_form(driver: SecurityDriver) -> Login:
    url = driver.start()
    form = next(f for f in forms_of(driver.browser.get(url).text) if f.action.endswith("/testid"))
    return Login(driver, url, form, [("pid", PID), ("acr", "idporten-loa-substantial")])


def at_picker_form(driver: SecurityDriver) -> Login:
    url = to_picker(driver, [DETAIL], REPRESENTED)
    orgno = open_picker(driver, url).parties[0]
    page = driver.browser.get(url)
    form = next(f for f in forms_of(page.text) if "/organisation/" in f.action)
    return Login(driver, url, form, [("party", orgno), ("choose", "1")])


FORMS: dict[str, Callable[[SecurityDriver], Login]] = {
    "login_form": at_login_form,
    "picker_form": at_picker_form,
}


@dataclass
class Snapshot:
    codes: int
    audits: int
    stage: str


def snapshot(database_url: str, login: Login) -> Snapshot:
    stage = rows(database_url, "SELECT stage FROM interactions WHERE id = ?", login.interaction_id)
    return Snapshot(
        count_rows(database_url, "authorization_codes"),
        count_rows(database_url, "audit_records"),
        stage[0]["stage"],
    )


def assert_finishes(login: Login, db: str, before: Snapshot) -> httpx.Response:
    """The rightful browser, with the right token, still gets its code."""
    response = login.post(login.driver.browser)
    callback = login.driver.callback(response)
    assert callback["state"] == login.driver.state
    assert callback["code"]
    after = snapshot(db, login)
    assert after.codes == before.codes + 1
    assert after.stage == "done"
    if "/organisation/" in login.form.action:
        assert after.audits == before.audits + 1
    return response


Attack = Callable[[Login, SecurityDriver, httpx.Client], httpx.Response]

ATTACKS: dict[str, tuple[Attack, int]] = {
    "no_csrf_token": (lambda login, other, stranger: login.post(login.driver.browser, None), 403),
    "empty_csrf_token": (lambda login, other, stranger: login.post(login.driver.browser, ""), 403),
    "another_logins_csrf_token": (
        lambda login, other, stranger: login.post(
            login.driver.browser, at_login_form(other).form.fields["csrf_token"]
        ),
        403,
    ),
    "non_ascii_csrf_token": (
        lambda login, other, stranger: login.post(login.driver.browser, "æøå-" * 8),
        403,
    ),
    "another_transactions_cookie": (
        # the attacker knows the URL and even the CSRF token, but has their own cookie
        lambda login, other, stranger: (at_login_form(other), login.post(other.browser))[1],
        403,
    ),
    "no_cookie": (lambda login, other, stranger: login.post(stranger), 403),
}


@pytest.fixture
def stranger(rar_provider) -> Iterator[httpx.Client]:
    """A browser that never started a login here (no cookie)."""
    with http_client(rar_provider.base_url) as client:
        yield client


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("attack", ATTACKS)
def test_a_forged_post_is_refused_without_side_effects(
    make_rar_driver, rar_provider, stranger, form, attack
):
    db = rar_provider.settings.database_url
    login = FORMS[form](make_rar_driver("confidential-service"))
    other = make_rar_driver("confidential-service")
    before = snapshot(db, login)
    forge, status = ATTACKS[attack]

    refused = forge(login, other, stranger)

    assert_page(refused, status)
    assert "code=" not in refused.text
    assert snapshot(db, login) == before
    assert_finishes(login, db, before)


@pytest.mark.parametrize("form", FORMS)
def test_a_post_after_the_login_expired_is_refused_without_side_effects(
    make_rar_driver, rar_provider, form
):
    db = rar_provider.settings.database_url
    login = FORMS[form](make_rar_driver("confidential-service"))
    write_sql(
        db,
        "UPDATE interactions SET expires_at = ? WHERE id = ?",
        time.time() - 1,
        login.interaction_id,
    )
    before = snapshot(db, login)

    refused = login.post(login.driver.browser)

    assert_page(refused, 400)
    assert snapshot(db, login) == before
    # and it stays refused: an expired login cannot be finished at all
    assert_page(login.post(login.driver.browser), 400)


@pytest.mark.parametrize("form", FORMS)
def test_a_finished_login_posted_again_answers_the_same_and_changes_nothing(
    make_rar_driver, rar_provider, form
):
    """A retried post (the first answer was lost) is sent back with the same code; no
    second code, audit record or move. Without the CSRF token it is refused as ever."""
    db = rar_provider.settings.database_url
    login = FORMS[form](make_rar_driver("confidential-service"))
    before = snapshot(db, login)
    first = assert_finishes(login, db, before)
    finished = snapshot(db, login)

    again = login.post(login.driver.browser)
    forged = login.post(login.driver.browser, None)

    assert again.status_code == 303, again.text
    assert again.headers["location"] == first.headers["location"]
    assert_page(forged, 403)
    assert snapshot(db, login) == finished


def test_a_link_to_someone_elses_login_is_worthless(make_rar_driver, stranger):
    login = at_login_form(make_rar_driver("confidential-service"))

    for url in (login.url, login.url.replace("/login/", "/organisation/")):
        page = stranger.get(url)
        assert page.status_code == 403, page.text[:300]
        assert "csrf_token" not in page.text
