"""Keyboard only, against the real provider and an example service: log in, and as the
accountant with 300 client organisations choose three that need three different
searches (with JavaScript and without), or one with the arrow keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import AccountantStack
from tests.support.keyboard import focused, replace_text, tab_to

pytestmark = pytest.mark.browser

SEARCHES = [
    ("Ærfugl", "Ærfugl Kyst AS"),  # a search the server answers (Enter)
    ("kvalsund kraft", "Kvalsund Kraftlag SA"),  # the live filter, as you type
    ("åkerblå", "Åkerblå Kyst AS"),  # the server again
]


def keyboard_page(browser: Browser, *, javascript: bool) -> Iterator[Page]:
    context = browser.new_context(
        locale="nb-NO", java_script_enabled=javascript, viewport={"width": 1000, "height": 800}
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from keyboard_page(browser, javascript=True)


@pytest.fixture
def page_without_js(browser: Browser) -> Iterator[Page]:
    yield from keyboard_page(browser, javascript=False)


def log_in_by_keyboard(page: Page, service: str, provider: str, pid: str) -> None:
    page.goto(service)
    tab_to(page, "#login")
    with page.expect_navigation(url=f"{provider}/login/**"):
        page.keyboard.press("Enter")
    tab_to(page, "#pid")
    page.keyboard.type(pid)
    with page.expect_navigation(url=f"{provider}/organisation/**"):
        page.keyboard.press("Enter")


def search(page: Page, query: str, *, by_server: bool) -> None:
    if not focused(page, "#q"):
        tab_to(page, "#q", backwards=True)
    replace_text(page, query)
    if by_server:
        with page.expect_navigation():
            page.keyboard.press("Enter")


def tick(page: Page, orgno: str) -> None:
    tab_to(page, f"input[name=party][value='{orgno}']")
    page.keyboard.press("Space")
    assert page.is_checked(f"input[name=party][value='{orgno}']")


def granted_orgnos(page: Page) -> set[str]:
    details: list[dict[str, Any]] = json.loads(page.locator("#details").inner_text())
    return {
        party["orgno"]["ID"].removeprefix("0192:")
        for detail in details
        for party in detail.get("authorized_parties", [])
    }


def test_three_organisations_from_three_searches_among_300(
    page: Page, accountant_stack: AccountantStack
) -> None:
    stack = accountant_stack
    log_in_by_keyboard(page, stack.several, stack.provider, stack.who.pid)
    wanted = [stack.who.named(name).orgno for _, name in SEARCHES]
    for (query, _), orgno, by_server in zip(SEARCHES, wanted, (True, False, True), strict=True):
        search(page, query, by_server=by_server)
        tick(page, orgno)
    chosen = page.locator("#picker-chosen-list li").all_inner_texts()
    assert sorted(text.rsplit(" ", 3)[0] for text in chosen) == sorted(n for _, n in SEARCHES)
    tab_to(page, "button[name=choose]")
    with page.expect_navigation(url=f"{stack.several}/callback**"):
        page.keyboard.press("Enter")
    assert granted_orgnos(page) == set(wanted)


def test_three_searches_without_javascript(
    page_without_js: Page, accountant_stack: AccountantStack
) -> None:
    page = page_without_js
    stack = accountant_stack
    log_in_by_keyboard(page, stack.several, stack.provider, stack.who.pid)
    wanted = [stack.who.named(name).orgno for _, name in SEARCHES]
    for (query, _), orgno in zip(SEARCHES, wanted, strict=True):
        search(page, query, by_server=True)
        tick(page, orgno)
    tab_to(page, "button[name=choose]")
    with page.expect_navigation(url=f"{stack.several}/callback**"):
        page.keyboard.press("Enter")
    assert granted_orgnos(page) == set(wanted)


def test_one_organisation_with_the_arrow_keys(
    page: Page, accountant_stack: AccountantStack
) -> None:
    stack = accountant_stack
    log_in_by_keyboard(page, stack.one, stack.provider, stack.who.pid)
    hint = page.locator("#picker-keys").inner_text()
    assert "piltastene" in hint
    search(page, "bergen", by_server=True)
    radios = page.locator("input[name=party]")
    assert radios.count() >= 2
    tab_to(page, "input[name=party]")
    assert page.evaluate("document.activeElement.value") == radios.nth(0).get_attribute("value")
    page.keyboard.press("ArrowDown")
    second = radios.nth(1).get_attribute("value")
    assert page.evaluate("document.activeElement.value") == second
    assert page.is_checked(f"input[value='{second}']"), "the choice follows the arrow keys"
    with page.expect_navigation(url=f"{stack.one}/callback**"):
        page.keyboard.press("Enter")
    assert granted_orgnos(page) == {second}
