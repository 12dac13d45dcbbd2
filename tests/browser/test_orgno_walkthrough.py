"""The README's employer-rules walkthrough in Chromium, on the demo as it runs: an Entra
user with no rule represents only themself; a daglig leder logs in to the admin pages
through the provider (TestID, the picker) and adds a rule for that user; the user logs in
again and the token names the organisation, with the rule's right. axe-core checks the
provider's picker as the Entra user meets it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.support.axe import violations
from tests.support.demo_stack import RunningDemo, run_demo

KARI = "Kari Mange"  # kari.mange@havbris.example: no rule in the demo
SAU = "317501994"  # SMIDIG SPENSTIG SAU, a sub-unit of the daglig leder's AS


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningDemo]:
    with run_demo(tmp_path_factory.mktemp("demo")) as running:
        yield running


def entra_login(page: Page, service: str) -> None:
    page.goto(service)
    page.locator("#login").click()
    page.get_by_label(KARI).check()
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def details(page: Page) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(page.locator("#details").inner_text())
    return found


def test_an_administrator_gives_an_entra_user_an_organisation(
    demo: RunningDemo, page: Page, people: dict[str, str]
) -> None:
    service, admin = demo.url("entra_service"), demo.url("employer_rules")
    entra_login(page, service)
    assert details(page) == [{"type": "ansattporten:orgno"}]

    page.goto(admin)
    page.get_by_role("link", name="Logg inn").or_(
        page.get_by_role("button", name="Logg inn")
    ).click()
    page.locator('button[name="eid"][value="testid"]').click()
    page.locator('input[name="pid"]').fill(people["main_with_subunits"])
    page.locator('form[action$="/testid"] button[type=submit]').first.click()
    for box in page.locator('input[name="party"]').all():
        box.check()
    page.locator('button[name="choose"]').click()
    page.wait_for_url(f"{admin}/rules*")
    page.get_by_role("link", name="Legg til regel for SMIDIG SPENSTIG SAU").click()
    page.get_by_label("Identifikator").fill("kari.mange@havbris.example")
    page.locator("#client_filter-allow").check()
    page.locator("#client_ids").fill("demo-entra-service")
    page.locator("#rights").fill("les")
    page.locator("#save").click()
    page.wait_for_url(f"{admin}/rules?done=created*")

    entra_login(page, service)
    assert page.url.startswith(demo.url("provider"))  # the picker
    assert page.locator('input[name="party"]').count() == 1
    assert violations(page) == []
    page.locator('input[name="party"]').check()
    page.locator('button[name="choose"]').click()
    page.wait_for_url(f"{service}/callback*")
    assert details(page) == [
        {
            "type": "ansattporten:orgno",
            "authorized_parties": [
                {
                    "orgno": {"authority": "iso6523-actorid-upis", "ID": f"0192:{SAU}"},
                    "name": "SMIDIG SPENSTIG SAU",
                    "rights": ["les"],
                }
            ],
        }
    ]
