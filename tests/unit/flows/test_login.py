"""/login as functions: the login is loaded only by its own browser and form; the eID's
answer moves it on once, to a code or to the picker."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ansattporten.eid.testid_names import synthetic_name
from ansattporten.flows.context import Provider
from ansattporten.flows.login import cancel_login, complete_login, show_login
from ansattporten.flows.transaction import load_login
from ansattporten.outcomes import RedirectTo, ShowPage
from ansattporten.records import Person
from tests.unit.flows.conftest import PERSON, REDIRECT_URI, detail
from tests.unit.flows.steps import BROWSER, form, started


@pytest.mark.parametrize(
    ("browser", "csrf", "expected"),
    [
        (None, True, "error.transaction_other_browser"),
        ("another-browser", True, "error.transaction_other_browser"),
        (BROWSER, False, "error.csrf"),
    ],
)
async def test_only_the_starting_browser_with_the_form_may_continue(
    provider: Provider, browser: str | None, csrf: bool, expected: str
) -> None:
    login = await started(provider)
    posted = form(login, pid=PERSON) if csrf else {"pid": PERSON}

    page = await load_login(provider, login.id, browser, stage="login", form=posted)

    assert isinstance(page, ShowPage)
    assert page.context["message_key"] == expected


async def test_an_expired_or_finished_login_cannot_continue(provider: Provider) -> None:
    login = await started(provider)
    provider.clock.now += provider.settings.login_lifetime + 1  # type: ignore[attr-defined]
    expired = await load_login(provider, login.id, BROWSER, stage="login")
    provider.clock.now -= provider.settings.login_lifetime + 1  # type: ignore[attr-defined]
    moved_on = await load_login(provider, login.id, BROWSER, stage="choose")

    assert isinstance(expired, ShowPage)
    assert expired.context["message_key"] == "error.transaction_expired"
    assert isinstance(moved_on, ShowPage)
    assert moved_on.status == 409


async def test_the_eid_page_carries_the_login_s_csrf_token(provider: Provider) -> None:
    login = await started(provider)

    page = await show_login(provider, login.id, BROWSER)

    assert isinstance(page, ShowPage)
    assert page.context["csrf_token"] == login.csrf_token
    assert page.context["client_name"] == "Testtjeneste"


async def test_without_representation_the_login_ends_with_a_code(provider: Provider) -> None:
    login = await started(provider)

    outcome = await complete_login(provider, login.id, BROWSER, "testid", form(login, pid=PERSON))

    assert isinstance(outcome, RedirectTo)
    assert outcome.url.startswith(REDIRECT_URI)
    assert "code" in parse_qs(urlsplit(outcome.url).query)
    done = await provider.store.load_login(login.id)
    assert done is not None
    assert done.stage == "done"


async def test_with_representation_the_person_is_recorded_and_sent_to_the_picker(
    provider: Provider,
) -> None:
    login = await started(provider, [detail()])

    outcome = await complete_login(provider, login.id, BROWSER, "testid", form(login, pid=PERSON))
    again = await complete_login(provider, login.id, BROWSER, "testid", form(login, pid=PERSON))

    assert isinstance(outcome, RedirectTo)
    assert outcome.url.endswith(f"/organisation/{login.id}")
    choosing = await provider.store.load_login(login.id)
    assert choosing is not None
    assert choosing.stage == "choose"
    assert choosing.authentication is not None
    given, family = synthetic_name(PERSON)
    assert choosing.authentication.person == Person(
        pid=PERSON, given_name=given, family_name=family
    )
    assert (choosing.authentication.eid, choosing.authentication.amr) == ("testid", ("TestID",))
    # posted twice: the same place, and nothing moves again (the session cookie came
    # with the first answer; a retry whose first answer was lost goes on without one)
    assert isinstance(again, RedirectTo)
    assert again.url == outcome.url
    assert outcome.session is not None


async def test_a_wrong_number_shows_the_eid_again(provider: Provider) -> None:
    login = await started(provider)

    page = await complete_login(provider, login.id, BROWSER, "testid", form(login, pid="123"))

    assert isinstance(page, ShowPage)
    assert page.context["error_key"] == "login.error.invalid_pid"
    still = await provider.store.load_login(login.id)
    assert still is not None
    assert still.stage == "login"


async def test_cancel_sends_access_denied_and_fails_the_login(provider: Provider) -> None:
    login = await started(provider)

    outcome = await cancel_login(provider, login.id, BROWSER, form(login))

    assert isinstance(outcome, RedirectTo)
    assert parse_qs(urlsplit(outcome.url).query)["error"] == ["access_denied"]
    failed = await provider.store.load_login(login.id)
    assert failed is not None
    assert (failed.stage, failed.failure) == ("failed", "access_denied")
