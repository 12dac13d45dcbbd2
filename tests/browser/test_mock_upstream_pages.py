"""The mock ID-porten's and mock Entra ID's pages, the ones a person sees on the way
through: in each of the four languages (from the browser when the request names none),
without WCAG 2.1 A/AA violations (axe-core; test-artifacts/axe/mock-upstreams.json), and
without sideways scrolling on a 320×568 phone."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page

from ansattporten.upstream_mocks.entra.app import MockEntra
from ansattporten.upstream_mocks.idporten.app import MockIdPorten
from ansattporten.web.i18n import SUPPORTED_LOCALES
from tests.integration.upstream_mocks.conftest import REDIRECT, entra, idporten
from tests.support.axe import AxeReport
from tests.support.upstream_clients import pkce_pair

pytestmark = pytest.mark.browser

ACCEPT = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB", "se": "se-NO"}
__all__ = ["entra", "idporten"]  # the mocks, as their integration tests start them


@pytest.fixture(scope="module")
def report() -> Iterator[AxeReport]:
    collected = AxeReport("mock-upstreams")
    yield collected
    collected.save()


def authorize_params(client_id: str, scope: str) -> dict[str, str]:
    _, challenge = pkce_pair()
    return {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": secrets.token_urlsafe(8),
        "nonce": secrets.token_urlsafe(8),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def pages_of_a_sign_in(page: Page, idporten: MockIdPorten, entra: MockEntra) -> Iterator[str]:
    """Opens each page in turn; yields its name when it is on screen."""
    params = authorize_params("basic-broker", "openid profile")
    params["acr_values"] = "idporten-loa-substantial"
    page.goto(str(httpx.URL(f"{idporten.issuer}/authorize", params=params)))
    yield "ID-porten login"
    page.locator("form button[type=submit]").first.click()
    yield "ID-porten login with an error"
    page.goto(f"{idporten.issuer}/login/no-such-login")
    yield "ID-porten error"
    app = entra.fixture.applications[0].client_id
    params = authorize_params(app, "openid profile email")
    page.goto(
        str(httpx.URL(f"{entra.base_url}/organizations/oauth2/v2.0/authorize", params=params))
    )
    yield "Entra accounts"
    page.locator("input[name=account]").first.check()
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    yield "Entra consent (first sign-in) or the service"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_mock_pages_in_every_language_accessible_and_phone_sized(
    browser: Browser, idporten: MockIdPorten, entra: MockEntra, report: AxeReport, locale: str
) -> None:
    for width, height in ((1000, 900), (320, 568)):
        context = browser.new_context(
            locale=ACCEPT[locale], viewport={"width": width, "height": height}
        )
        page = context.new_page()
        found: dict[str, object] = {}
        for name in pages_of_a_sign_in(page, idporten, entra):
            if not page.url.startswith((idporten.issuer, entra.base_url)):
                continue  # back at the (absent) service
            assert page.get_attribute("html", "lang") == locale, name
            wide = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
            assert wide <= 0, f"{name} scrolls sideways at {width} px"
            if width > 500 and (violations := report.check(page, f"{name} [{locale}]")):
                found[name] = violations
        context.close()
        assert found == {}
