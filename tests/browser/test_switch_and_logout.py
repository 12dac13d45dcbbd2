"""In headless Chromium: a person logs in through the example service, switches
organisation without authenticating again (the provider shows only the picker), logs
out, and the service shows that the provider told it by back-channel logout, and by
front-channel logout in an iframe the provider's CSP lets load."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import DemoStack
from tests.browser.test_login_and_picker import log_in
from tests.support.chromium import artifact


def pick(page: Page, index: int) -> str:
    """Choose the `index`-th organisation on the picker; its number."""
    choices = page.locator("input[name=party]")
    assert choices.count() > index
    chosen = choices.nth(index).get_attribute("value")
    assert chosen
    page.locator(f"label[for='{choices.nth(index).get_attribute('id')}']").click()
    page.locator("button[name=choose]").click()
    return chosen


def test_switch_organisation_then_log_out(
    page: Page, stack: DemoStack, people: dict[str, str]
) -> None:
    log_in(page, stack, people["main_with_subunits"])
    page.wait_for_url(f"{stack.provider}/organisation/**")
    first = pick(page, 0)
    page.wait_for_url(f"{stack.service}/callback**")
    expect(page.locator(f"#representation li[data-orgno='{first}']")).to_have_count(1)

    visited: list[str] = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    page.get_by_role("button", name="Bytt organisasjon").click()
    page.wait_for_url(f"{stack.provider}/organisation/**")  # the picker, no eID
    assert not any("/login/" in url for url in visited), visited
    second = pick(page, 1)
    assert second != first
    page.wait_for_url(f"{stack.service}/callback**")
    expect(page.locator(f"#representation li[data-orgno='{second}']")).to_have_count(1)
    expect(page.locator(f"#representation li[data-orgno='{first}']")).to_have_count(0)
    page.screenshot(path=artifact("service-after-switch.png"), full_page=True)

    refused: list[str] = []  # a CSP that kept the service's logout page out of its frame
    page.on("console", lambda message: refused.append(message.text))
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{stack.service}/logged-out**")
    expect(page.locator("#backchannel-told")).to_be_visible()
    expect(page.locator("#frontchannel-told")).to_be_visible()  # the iframe loaded
    assert not [text for text in refused if "Content Security Policy" in text], refused
    page.screenshot(path=artifact("service-logged-out.png"), full_page=True)

    page.goto(stack.service)  # logging in again needs the eID
    page.get_by_role("button", name="Logg inn som ansatt").click()
    page.wait_for_url(f"{stack.provider}/login/**")
