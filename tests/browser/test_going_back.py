"""The browser's back button (or a reload) during a login is a step asked for again
after the login moved on: Chromium must land where the login is now, never on
"already finished"."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import DemoStack
from tests.browser.test_login_and_picker import log_in


def test_back_from_the_picker_returns_to_the_picker(
    page: Page, stack: DemoStack, people: dict[str, str]
) -> None:
    log_in(page, stack, people["main_with_subunits"])
    page.wait_for_url(f"{stack.provider}/organisation/**")
    picker = page.url

    page.go_back()  # to the eID's page, which the login has left

    page.wait_for_url(picker)
    expect(page.locator("button[name=choose]")).to_be_visible()


def test_reloading_the_picker_keeps_the_login(
    page: Page, stack: DemoStack, people: dict[str, str]
) -> None:
    log_in(page, stack, people["main_with_subunits"])
    page.wait_for_url(f"{stack.provider}/organisation/**")
    picker = page.url

    page.reload()

    assert page.url == picker
    page.locator("input[name=party]").first.check()
    page.locator("button[name=choose]").click()
    page.wait_for_url(f"{stack.service}/callback**")
