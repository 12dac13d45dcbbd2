"""A person logs in through the example service in headless Chromium, picks an
organisation by clicking, and the service shows what the tokens say."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.browser.conftest import DemoStack
from tests.support.chromium import artifact


def log_in(page: Page, stack: DemoStack, pid: str) -> None:
    page.goto(stack.service)
    page.get_by_role("button", name="Logg inn som ansatt").click()
    page.wait_for_url(f"{stack.provider}/login/**")
    page.fill("input[name=pid]", pid)
    page.locator("input[name=acr][value='idporten-loa-substantial']").check()
    page.locator("form button[type=submit]").first.click()


def test_pick_an_organisation_by_clicking(
    page: Page, stack: DemoStack, people: dict[str, str]
) -> None:
    log_in(page, stack, people["main_with_subunits"])
    page.wait_for_url(f"{stack.provider}/organisation/**")
    expect(page.locator("h1")).to_be_visible()
    page.screenshot(path=artifact("picker.png"), full_page=True)

    choices = page.locator("input[name=party]")
    assert choices.count() >= 2
    chosen = choices.nth(1).get_attribute("value")
    page.locator(f"label[for='{choices.nth(1).get_attribute('id')}']").click()
    page.locator("button[name=choose]").click()

    page.wait_for_url(f"{stack.service}/callback**")
    details = json.loads(page.locator("#details").inner_text())
    assert details[0]["type"] == "ansattporten:altinn:resource"
    [party] = details[0]["authorized_parties"]
    assert party["orgno"] == {"authority": "iso6523-actorid-upis", "ID": f"0192:{chosen}"}
    assert page.locator(f"#representation li[data-orgno='{chosen}']").count() == 1
    assert page.locator("#acr").inner_text() == "substantial"
    page.screenshot(path=artifact("service-after-login.png"), full_page=True)


def test_person_without_parties_goes_straight_back(
    page: Page, stack: DemoStack, people: dict[str, str]
) -> None:
    log_in(page, stack, people["no_parties"])
    page.wait_for_url(f"{stack.service}/callback**")
    assert json.loads(page.locator("#details").inner_text()) == [
        {"type": "ansattporten:altinn:resource"}
    ]


def test_login_page_is_usable_by_keyboard(
    page: Page, stack: DemoStack, people: dict[str, str]
) -> None:
    page.goto(stack.service)
    page.get_by_role("button", name="Logg inn som ansatt").click()
    page.wait_for_url(f"{stack.provider}/login/**")
    page.screenshot(path=artifact("login-testid.png"), full_page=True)
    page.get_by_label("Fødselsnummer", exact=False).first.focus()
    page.keyboard.type(people["main_with_subunits"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{stack.provider}/organisation/**")
