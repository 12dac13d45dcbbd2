"""The health service in headless Chromium: a doctor logs in, picks the clinic and sees
the approvals from HPR; a nurse is stopped by the provider, and the way back to the
service ends on its refusal page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.chromium import artifact
from tests.support.example_stack import ExampleStack, run_examples

HPR_PEOPLE = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "hpr_people.json").read_text()
)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExampleStack]:
    database = tmp_path_factory.mktemp("browser-examples") / "ansattporten.db"
    with run_examples(f"sqlite:///{database}") as stack:
        yield stack


def log_in(page: Page, examples: ExampleStack, role: str) -> None:
    page.goto(examples.health)
    page.get_by_role("button", name="Logg inn som helsepersonell").click()
    page.wait_for_url(f"{examples.provider}/login/**")
    page.fill("input[name=pid]", HPR_PEOPLE[role]["pid"])
    page.locator("input[name=acr][value='idporten-loa-substantial']").check()
    page.locator("form button[type=submit]").first.click()


def test_doctor_picks_the_clinic_and_sees_the_approvals(page: Page, examples: ExampleStack) -> None:
    log_in(page, examples, "doctor")
    page.wait_for_url(f"{examples.provider}/organisation/**")
    choices = page.locator("input[name=party]")
    expect(choices).to_have_count(1)
    chosen = choices.first.get_attribute("value")
    expect(page.get_by_text("LEGEKONTOR").first).to_be_visible()
    page.locator(f"label[for='{choices.first.get_attribute('id')}']").click()
    page.locator("button[name=choose]").click()

    page.wait_for_url(f"{examples.health}/callback**")
    expect(page.locator("h1")).to_have_text("Velkommen")
    expect(page.locator(f"#organisation li[data-orgno='{chosen}']")).to_have_count(1)
    expect(page.locator("#approvals li[data-profession='LE']")).to_contain_text("Allmennmedisin")
    page.screenshot(path=artifact("health-service-doctor.png"), full_page=True)


def test_nurse_is_refused(page: Page, examples: ExampleStack) -> None:
    log_in(page, examples, "nurse")
    back = page.locator("a[href$='/return']")
    expect(back).to_be_visible()
    expect(page.locator("input[name=party]")).to_have_count(0)
    page.screenshot(path=artifact("health-service-nurse-provider.png"), full_page=True)
    back.click()

    page.wait_for_url(f"{examples.health}/callback**")
    expect(page.locator("#refused")).to_be_visible()
    expect(page.locator("#approvals")).to_have_count(0)
    page.screenshot(path=artifact("health-service-nurse-refused.png"), full_page=True)
