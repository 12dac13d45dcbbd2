"""A person in Chromium: the example service, the eID selector, the mock ID-porten's
page, the organisation picker, back at the service; the selector by keyboard alone; and
axe-core (WCAG 2.1 A/AA) over the selector and the mocks' pages as they are met on the
way (test-artifacts/axe/eid-selector-flow.json)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from authz_sources.altinn.mock import DEMO_FIXTURE, create_mock_app
from examples.employee_service.app import create_employee_service
from tests.browser.conftest import SERVICE_SECRET
from tests.support.axe import AxeReport
from tests.support.chromium import artifact
from tests.support.eid_stack import FJORDVIND, EidStack, run_eid_stack
from tests.support.keyboard import tab_to
from tests.support.servers import free_socket, serve_in_thread

pytestmark = pytest.mark.browser

LARS = "23865938772"
NORA = "f0abf0ba-bcc0-56e3-8d06-3f7f4ea3ccb1"
ALL = "idporten-loa-substantial eidas-loa-substantial entraid"


@dataclass
class Running:
    eids: EidStack
    service: str


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    service_socket = free_socket()
    service_url = f"http://127.0.0.1:{service_socket.getsockname()[1]}"
    database = tmp_path_factory.mktemp("eid-browser") / "ansattporten.db"
    with contextlib.ExitStack() as stack:
        altinn = stack.enter_context(serve_in_thread(create_mock_app(DEMO_FIXTURE)))
        overrides = {
            "sources": {"altinn": {"base_url": altinn}},
            "clients": [
                {
                    "client_id": "browser-service",
                    "client_secret": SERVICE_SECRET,
                    "client_name": "Eksempeltjeneste",
                    "redirect_uris": [f"{service_url}/callback"],
                }
            ],
        }
        eids = stack.enter_context(run_eid_stack(f"sqlite:///{database}", overrides))
        service = create_employee_service(
            issuer=eids.provider,
            base_url=service_url,
            client_id="browser-service",
            client_secret=SERVICE_SECRET,
            acr_values=ALL,
        )
        stack.enter_context(serve_in_thread(service, service_socket))
        yield Running(eids, service_url)


@pytest.fixture(scope="module")
def report() -> Iterator[AxeReport]:
    collected = AxeReport("eid-selector-flow")
    yield collected
    collected.save()


def check(page: Page, report: AxeReport, name: str) -> None:
    assert report.check(page, name) == [], name


def test_service_selector_idporten_picker_service(
    page: Page, running: Running, report: AxeReport
) -> None:
    page.goto(running.service)
    page.get_by_role("button", name="Logg inn som ansatt").click()
    page.wait_for_url(f"{running.eids.provider}/login/**")
    expect(page.locator("h1")).to_have_text("Velg hvordan du vil logge inn")
    check(page, report, "selector")
    page.screenshot(path=artifact("eid-selector.png"), full_page=True)
    page.get_by_role("button", name="ID-porten").click()

    page.wait_for_url(f"{running.eids.idporten.issuer}/login/**")
    check(page, report, "mock ID-porten")
    page.locator("input[name=pid][value='23865938772']").check()
    page.locator("input[name=method][value='bankid']").check()
    page.locator("button[name=action][value=national]").click()

    page.wait_for_url(f"{running.eids.provider}/organisation/**")
    choices = page.locator("input[name=party]")
    chosen = choices.first.get_attribute("value")
    page.locator(f"label[for='{choices.first.get_attribute('id')}']").click()
    page.locator("button[name=choose]").click()

    page.wait_for_url(f"{running.service}/callback**")
    details = json.loads(page.locator("#details").inner_text())
    [party] = details[0]["authorized_parties"]
    assert party["orgno"]["ID"] == f"0192:{chosen}"
    assert page.locator("#acr").inner_text() == "high"
    assert page.locator("#amr").inner_text() == "BankID"
    assert page.locator("#who").inner_text() == "Lars Berg"


def test_entra_from_the_selector_by_keyboard(
    page: Page, running: Running, report: AxeReport
) -> None:
    page.goto(running.service)
    tab_to(page, "#login")
    with page.expect_navigation(url=f"{running.eids.provider}/login/**"):
        page.keyboard.press("Enter")
    tab_to(page, "button[name=eid][value=entraid]")
    with page.expect_navigation(url=f"{running.eids.entra.base_url}/**"):
        page.keyboard.press("Enter")
    check(page, report, "mock Entra ID accounts")
    page.locator(f"input[name=account][value='{FJORDVIND}:{NORA}']").check()
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    if "/consent/" in page.url:
        check(page, report, "mock Entra ID consent")
        page.locator("button[name=action][value=accept]").click()
    page.wait_for_url(f"{running.service}/callback**")
    assert page.locator("#acr").inner_text() == "entraid"
    assert "nora.berg@fjordvind.example" in page.locator("#who").inner_text()
    assert json.loads(page.locator("#details").inner_text()) == [
        {"type": "ansattporten:altinn:resource"}
    ]


def test_cancel_at_idporten_comes_back_to_the_selector(
    page: Page, running: Running, report: AxeReport
) -> None:
    page.goto(running.service)
    page.get_by_role("button", name="Logg inn som ansatt").click()
    page.get_by_role("button", name="ID-porten").click()
    page.wait_for_url(f"{running.eids.idporten.issuer}/login/**")
    page.locator("button[name=action][value=cancel]").click()
    page.wait_for_url(f"{running.eids.provider}/login/**")
    expect(page.get_by_role("status")).to_contain_text("ID-porten")
    check(page, report, "selector after a cancel")
