"""The real provider, the example service and their pages in the browser, in each of the
four languages: axe-core finds no WCAG 2.1 A/AA violation on any page of a login (the
service's front page, TestID, the picker with 300 organisations, a search, the callback,
an error page, the logout page); every page is in the person's language; on a 320×568
phone nothing scrolls sideways and the service's login button is a proper touch target.
The axe results are saved as test-artifacts/axe/live-pages.json."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from ansattporten.web.i18n import SUPPORTED_LOCALES
from tests.browser.conftest import AccountantStack
from tests.support.axe import AxeReport

pytestmark = pytest.mark.browser

ACCEPT = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB", "se": "se-NO"}
ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"


@pytest.fixture(scope="module")
def report() -> Iterator[AxeReport]:
    collected = AxeReport("live-pages")
    yield collected
    collected.save()


def new_page(browser: Browser, locale: str, width: int = 1000, height: int = 900) -> Page:
    context = browser.new_context(
        locale=ACCEPT[locale], viewport={"width": width, "height": height}
    )
    return context.new_page()


def sideways(page: Page) -> int:
    overflow: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow


def log_in(page: Page, stack: AccountantStack, service: str) -> None:
    page.goto(service)
    page.locator("#login").click()
    page.wait_for_url(f"{stack.provider}/login/**")
    page.fill("#pid", stack.who.pid)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{stack.provider}/organisation/**")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_page_of_a_login_is_accessible_and_in_the_persons_language(
    browser: Browser, accountant_stack: AccountantStack, report: AxeReport, locale: str
) -> None:
    stack = accountant_stack
    page = new_page(browser, locale)
    found: dict[str, object] = {}

    def look(name: str) -> None:
        assert page.get_attribute("html", "lang") == locale, f"{name} is not in {locale}"
        if violations := report.check(page, f"{name} [{locale}]"):
            found[name] = violations

    page.goto(stack.several)
    look("service front page")
    page.locator("#login").click()
    page.wait_for_url(f"{stack.provider}/login/**")
    look("TestID")
    page.fill("#pid", "123")
    page.locator("form button[type=submit]").first.click()
    look("TestID with an error")
    page.fill("#pid", stack.who.pid)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{stack.provider}/organisation/**")
    look("picker, first of several pages")
    page.fill("#q", "bodø")
    page.locator("button[name=search]").click()
    page.wait_for_url("**q=*")
    look("picker, a search")
    page.locator("input[name=party]").first.check()
    page.locator("button[name=choose]").click()
    page.wait_for_url(f"{stack.several}/callback**")
    look("service after the login")
    page.goto(f"{stack.provider}/organisation/no-such-login")
    look("error page")
    page.goto(f"{stack.provider}/logout")
    look("logout page")
    page.context.close()
    assert found == {}


def test_cancel_lands_on_the_service_with_a_plain_message(
    browser: Browser, accountant_stack: AccountantStack, report: AxeReport
) -> None:
    page = new_page(browser, "nn")
    page.goto(accountant_stack.one)
    page.locator("#login").click()
    page.wait_for_url(f"{accountant_stack.provider}/login/**")
    page.locator("form.cancel-form button").click()
    page.wait_for_url(f"{accountant_stack.one}/callback**")
    assert page.get_attribute("html", "lang") == "nn"
    assert page.locator("#message").inner_text() == (
        "Innlogginga vart avbroten eller ikkje fullført, så du er ikkje logga inn."
    )
    assert not page.locator("#error").is_visible(), "the technical detail is folded away"
    assert report.check(page, "service after a cancel [nn]") == []
    page.context.close()


def test_phone_service_and_provider_pages(
    browser: Browser, accountant_stack: AccountantStack
) -> None:
    stack = accountant_stack
    page = new_page(browser, "se", width=320, height=568)
    page.goto(stack.several)
    button = page.locator("#login").bounding_box()
    assert button is not None
    assert button["height"] >= 44, "a touch target"
    assert button["width"] >= 44
    assert sideways(page) == 0
    log_in(page, stack, stack.several)
    assert sideways(page) == 0, "picker"
    page.locator("button[name=all]").click()
    page.wait_for_url("**all=1*")
    assert sideways(page) == 0, "picker showing all"
    page.locator("input[name=party]").first.check()
    page.locator("button[name=choose]").click()
    page.wait_for_url(f"{stack.several}/callback**")
    assert sideways(page) == 0, "the callback page with the token's details"
    page.context.close()


def norwegian_position(name: str) -> list[int]:
    """An independent reading of Norwegian order, by first letters (AA is Å)."""
    folded = name.lower().replace("aa", "å")
    return [ALPHABET.index(letter) for letter in folded[:2] if letter in ALPHABET]


def test_show_all_shows_every_organisation_in_norwegian_order(
    browser: Browser, accountant_stack: AccountantStack
) -> None:
    stack = accountant_stack
    page = new_page(browser, "nb")
    log_in(page, stack, stack.several)
    assert page.locator("input[name=party]").count() <= 50
    page.locator("button[name=all]").click()
    page.wait_for_url("**all=1*")
    assert page.locator("input[name=party]").count() == len(stack.who.clients)
    names = page.locator(".org--main").evaluate_all("els => els.map(e => e.dataset.name)")
    positions = [norwegian_position(name) for name in names]
    assert positions == sorted(positions)
    page.context.close()


def test_search_results_in_norwegian_order(
    browser: Browser, accountant_stack: AccountantStack
) -> None:
    stack = accountant_stack
    page = new_page(browser, "nb")
    log_in(page, stack, stack.several)
    page.goto(f"{page.url.split('?')[0]}?q=kyst")
    names = page.locator(".org--main").evaluate_all("els => els.map(e => e.dataset.name)")
    assert names == [
        "Bø Kyst SA",
        "Zakariassen Kyst AS",
        "Ærfugl Kyst AS",
        "Ørnes Kyst DA",
        "Østre Kyst AS",
        "Åkerblå Kyst AS",
        "Aasen Kyst ENK",  # the old spelling of Å
    ]
    page.context.close()


def test_show_all_after_a_search_goes_back_to_every_organisation(
    browser: Browser, accountant_stack: AccountantStack
) -> None:
    stack = accountant_stack
    page = new_page(browser, "nb")
    log_in(page, stack, stack.several)
    page.fill("#q", "tromsø")
    page.locator("button[name=search]").click()
    page.wait_for_url("**q=*")
    searched = page.locator("input[name=party]").count()
    page.locator("a.picker__show-all").click()
    page.wait_for_url("**/organisation/*")
    assert page.input_value("#q") == ""
    pages = page.locator("#picker-pager p").inner_text()
    assert pages.startswith("Side 1 av ")
    page.locator("#picker-pager button[name=page]").click()
    page.wait_for_url("**page=2*")
    assert page.locator("#picker-pager p").inner_text().startswith("Side 2 av ")
    assert page.locator("input[name=party]").count() > searched or searched > 0
    page.context.close()


def test_picker_with_300_has_no_blank_space_and_no_scroll_trap(
    browser: Browser, accountant_stack: AccountantStack
) -> None:
    stack = accountant_stack
    page = new_page(browser, "nb")
    log_in(page, stack, stack.several)
    footer_bottom = page.evaluate(
        "() => document.querySelector('footer').getBoundingClientRect().bottom + window.scrollY"
    )
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height - footer_bottom <= 1, (
        f"{height - footer_bottom} px of blank page below the footer"
    )
    trapped = page.evaluate(
        """() => Array.from(document.querySelectorAll('main *')).filter(e => {
            const style = getComputedStyle(e);
            return /(auto|scroll)/.test(style.overflowY) && e.scrollHeight > e.clientHeight
                && style.overscrollBehaviorY !== 'auto';
        }).length"""
    )
    assert trapped == 0, "a list that keeps the wheel when it reaches its end"
    page.context.close()


def test_live_filter_finds_an_organisation_beyond_the_first_page(
    browser: Browser, accountant_stack: AccountantStack
) -> None:
    stack = accountant_stack
    page = new_page(browser, "nb")
    log_in(page, stack, stack.several)
    target = stack.who.named("Kvalsund Kraftlag SA")
    assert page.locator(f"input[name=party][value='{target.orgno}']").count() == 0
    page.fill("#q", "Kvalsund")
    box = page.locator(f"input[name=party][value='{target.orgno}']")
    box.wait_for(state="visible", timeout=5000)
    page.wait_for_function(
        "() => !document.getElementById('picker-count').textContent.startsWith('0')"
    )
    page.context.close()
