"""Every page of a login in the person's language, over real HTTP: the services' pages,
the provider's pages, its error pages, the form_post page and the logout page; the
language switcher; the refusal of the health register; a cancelled login back at the
service."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from ansattporten.web.i18n import default_catalogues
from tests.support.example_stack import ExampleStack
from tests.support.login_driver import LoginDriver, forms_of, query_of
from tests.support.service_browser import ServiceBrowser, contains_id, text_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SUBSTANTIAL = "idporten-loa-substantial"
PLAIN = json.loads((FIXTURES / "testid_people.json").read_text())["plain_employee"]


LOGIN_BUTTON = {
    "nn": "Logg inn som tilsett",
    "en": "Log in as an employee",
    "se": "Čálit sisa bargin",
}
CANCELLED = {
    "nn": "Innlogginga vart avbroten eller ikkje fullført, så du er ikkje logga inn.",
    "en": "The login was cancelled or not completed, so you are not logged in.",
    "se": "Sisačáliheapmi gaskkalduvvui dahje ii čađahuvvon, nu ahte don it leat čálihan sisa.",
}
"""The example service's texts, as a person reads them."""


def t(locale: str, key: str, **values: object) -> str:
    return default_catalogues().translator(locale)(key, **values)


def lang_of(html: str) -> str:
    found = re.search(r'<html lang=["\']([a-z]+)', html)
    assert found, html[:300]
    return found.group(1)


def visible_text(html: str) -> str:
    """The page's text outside the folded-away technical details."""
    html = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def driver(examples: ExampleStack) -> Iterator[LoginDriver]:
    login = LoginDriver(examples.provider)
    yield login
    login.close()


@pytest.mark.parametrize(("accept", "locale"), [("nn-NO,nn", "nn"), ("en-GB", "en"), ("se", "se")])
def test_service_and_login_follow_the_browsers_language(
    examples: ExampleStack, browser: ServiceBrowser, accept: str, locale: str
) -> None:
    browser.http.headers["Accept-Language"] = accept
    home = browser.http.get(examples.employee)
    assert lang_of(home.text) == locale
    assert LOGIN_BUTTON[locale] in home.text
    login = browser.start(examples.employee)
    assert lang_of(login.text) == locale
    assert unescape(t(locale, "login.pid.label")) in unescape(login.text)


@pytest.mark.parametrize("locale", ["en", "se", "nn"])
def test_health_register_refusal_in_the_persons_language(
    examples: ExampleStack, browser: ServiceBrowser, hpr_people: dict[str, str], locale: str
) -> None:
    browser.http.headers["Accept-Language"] = locale
    stopped = browser.log_in(examples.health, hpr_people["nurse"])
    assert stopped.status_code == 403
    assert lang_of(stopped.text) == locale
    shown = visible_text(stopped.text)
    assert t(locale, "error.hpr_not_eligible") in shown
    assert "<details" not in stopped.text, "nothing about the refusal is folded away"
    assert "Helsepersonellregisteret (HPR) har ingen" not in shown or locale == "nb"
    page = browser.back_to_service(stopped)
    assert lang_of(page.text) == locale
    assert contains_id(page.text, "refused")


@pytest.mark.parametrize(("accept", "locale"), [("nn", "nn"), ("en", "en"), ("se", "se")])
def test_cancel_lands_on_the_service_with_a_plain_message(
    examples: ExampleStack, browser: ServiceBrowser, accept: str, locale: str
) -> None:
    browser.http.headers["Accept-Language"] = accept
    login = browser.start(examples.employee)
    cancel = next(f for f in forms_of(login.text) if f.action.endswith("/cancel"))
    page = browser.http.post(urljoin(str(login.url), cancel.action), data=cancel.fields)
    assert str(page.url).startswith(f"{examples.employee}/callback")
    assert lang_of(page.text) == locale
    assert text_of(page.text, "message") == CANCELLED[locale]
    shown = visible_text(page.text)
    assert "access_denied" not in shown
    assert "cancelled the login" not in shown or locale == "en"


def test_error_pages_follow_accept_language(examples: ExampleStack) -> None:
    with httpx.Client(base_url=examples.provider, headers={"Accept-Language": "nn"}) as http:
        page = http.get("/login/no-such-login")
    assert page.status_code == 404
    assert lang_of(page.text) == "nn"
    assert t("nn", "error.transaction_unknown") in unescape(page.text)


def test_error_page_of_a_login_follows_ui_locales(
    examples: ExampleStack, driver: LoginDriver
) -> None:
    login_url = driver.start(ui_locales="en")
    form = next(
        f for f in forms_of(driver.browser.get(login_url).text) if f.action.endswith("/testid")
    )
    refused = driver.browser.post(
        form.action, data={**form.fields, "csrf_token": "stale", "pid": PLAIN}
    )
    assert refused.status_code == 403
    assert lang_of(refused.text) == "en"
    assert t("en", "error.csrf") in unescape(refused.text)


def test_form_post_page_follows_ui_locales(examples: ExampleStack, driver: LoginDriver) -> None:
    response = driver.login(driver.start(ui_locales="se", response_mode="form_post"), PLAIN)
    assert response.status_code == 200
    assert lang_of(response.text) == "se"
    assert t("se", "form_post.title") in unescape(response.text)


def id_token_claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    claims: dict[str, object] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def test_logout_page_follows_ui_locales_then_the_login(
    examples: ExampleStack, driver: LoginDriver
) -> None:
    code = driver.login_for_code(PLAIN, ui_locales="nn")
    id_token = driver.redeem(code).json()["id_token"]
    assert id_token_claims(id_token)["locale"] == "nn"
    with httpx.Client(base_url=examples.provider, headers={"Accept-Language": "en"}) as http:
        by_hint = http.get("/logout", params={"id_token_hint": id_token})
        asked = http.get("/logout", params={"ui_locales": "se"})
        browser_only = http.get("/logout")
    assert lang_of(by_hint.text) == "nn", "the language of the login the hint names"
    assert lang_of(asked.text) == "se"
    assert lang_of(browser_only.text) == "en"
    assert t("en", "logout.done") in unescape(browser_only.text)


def test_switching_language_in_the_middle_of_a_login(
    examples: ExampleStack, driver: LoginDriver
) -> None:
    login_url = driver.start(ui_locales="nb")
    page = driver.browser.get(login_url)
    links = dict(re.findall(r'<a href="(/language\?[^"]+)" lang="([a-z]+)"', page.text))
    switch = {lang: unescape(href) for href, lang in links.items()}
    assert set(switch) == {"nn", "se", "en"}, "a link for every other language"
    moved = driver.browser.get(switch["en"])
    assert moved.status_code == 303
    assert moved.headers["location"] == login_url.removeprefix(examples.provider)
    assert "ap_lang=en" in moved.headers["set-cookie"]
    again = driver.browser.get(login_url)
    assert lang_of(again.text) == "en"
    form = next(f for f in forms_of(again.text) if f.action.endswith("/testid"))
    done = driver.browser.post(form.action, data={**form.fields, "pid": PLAIN, "acr": SUBSTANTIAL})
    assert done.status_code == 303, done.text[:3000]
    code = query_of(done.headers["location"])["code"]
    assert id_token_claims(driver.redeem(code).json()["id_token"])["locale"] == "en"


def test_switcher_remembers_the_choice_for_the_next_login(
    examples: ExampleStack, driver: LoginDriver
) -> None:
    driver.browser.get("/language", params={"lang": "se", "next": "/"})
    page = driver.browser.get(driver.start())
    assert lang_of(page.text) == "se"
    page = driver.browser.get(driver.start(ui_locales="en"))
    assert lang_of(page.text) == "en", "ui_locales comes first"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_switcher_never_leaves_the_site(examples: ExampleStack, target: str) -> None:
    with httpx.Client(base_url=examples.provider) as http:
        answer = http.get("/language", params={"lang": "en", "next": target})
    assert answer.status_code == 200
    assert "location" not in answer.headers
    assert lang_of(answer.text) == "en"
