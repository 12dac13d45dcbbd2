"""Headers on every response - pages, JSON, errors made by exception handlers, the
router's own 404/405, static files - and the browser cookie's attributes; HSTS and
`Secure` only when the issuer is https (RFC 9700 4.16 clickjacking, 4.2 referrer)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient

from ansattporten.app import create_app
from tests.integration.security.support import EVERY_KIND_OF_REQUEST, http_client
from tests.support.provider import provider_settings


@pytest.fixture
def client(sec_provider) -> Iterator[httpx.Client]:
    with http_client(sec_provider.base_url) as http:
        yield http


def assert_hardened(response: httpx.Response) -> None:
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    directives = {part.strip().split(" ")[0]: part.strip() for part in csp.split(";")}
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", csp
    assert directives.get("default-src") == "default-src 'none'", csp
    assert directives.get("script-src") == "script-src 'self'", csp
    assert "'unsafe-inline'" not in csp, csp
    assert "'unsafe-eval'" not in csp, csp
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") == "no-referrer"
    assert headers.get("x-frame-options") == "DENY"


@pytest.mark.parametrize("name", EVERY_KIND_OF_REQUEST)
def test_every_kind_of_response_is_hardened(client, make_driver, name):
    response = EVERY_KIND_OF_REQUEST[name](client, make_driver())

    assert response.status_code < 500, response.text[:300]
    assert_hardened(response)
    assert "strict-transport-security" not in response.headers  # plain http issuer


def test_pages_with_forms_carry_no_inline_script(make_driver):
    """The CSP forbids inline script, so a page that needed one would silently break."""
    driver = make_driver()
    page = driver.browser.get(driver.start())

    assert "<script>" not in page.text
    assert " onclick=" not in page.text.lower()


def test_every_redirect_is_303(make_driver):
    """A 307 after a form post would make the browser re-post the person's form data
    to the next site (RFC 9700 4.12): every redirect of a login is 303."""
    driver = make_driver("refresh-service")
    statuses: list[int] = []
    driver.browser.event_hooks = {
        "response": [lambda r: statuses.append(r.status_code) if r.is_redirect else None]
    }
    tokens = driver.tokens()
    driver.browser.post(
        "/logout",
        data={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": "http://refresh.test/logged-out",
        },
    )

    assert len(statuses) == 3  # authorize, login post, logout
    assert set(statuses) == {303}


@pytest.mark.parametrize("host", ["evil.test", "127.0.0.1:1"])
def test_a_forged_host_header_changes_no_url(client, make_driver, sec_provider, host):
    """URLs the provider publishes or redirects to come from the configured issuer,
    never from the request's Host header."""
    issuer = sec_provider.settings.issuer
    metadata = client.get("/.well-known/openid-configuration", headers={"Host": host}).json()
    driver = make_driver()
    started = driver.browser.get("/authorize", params=driver.params(), headers={"Host": host})

    assert metadata["issuer"] == issuer
    assert all(v.startswith(issuer) for k, v in metadata.items() if k.endswith("_endpoint"))
    assert started.headers["location"].startswith(f"{issuer}/login/")


def cookie_attributes(response: httpx.Response) -> tuple[str, set[str]]:
    """(value, lower-cased attributes) of the ap_browser cookie the response sets."""
    cookies = [v for k, v in response.headers.multi_items() if k.lower() == "set-cookie"]
    ours = [c for c in cookies if c.startswith("ap_browser=")]
    assert len(ours) == 1, cookies
    first, *attributes = (part.strip() for part in ours[0].split(";"))
    return first.split("=", 1)[1], {a.lower() for a in attributes}


def test_the_browser_cookie_over_http(make_driver):
    driver = make_driver()
    response = driver.authorize(driver.params())

    value, attributes = cookie_attributes(response)

    assert len(value) >= 43  # 32 random bytes
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    assert "secure" not in attributes
    assert not any(a.startswith(("domain=", "expires=", "max-age=")) for a in attributes)


# an https issuer, called in-process ---------------------------------------------------------


@pytest.fixture(scope="module")
def https_app(tmp_path_factory: pytest.TempPathFactory, make_settings) -> Iterator[TestClient]:
    database = Path(tmp_path_factory.mktemp("https")) / "ansattporten.db"
    settings = provider_settings(
        "https://ansattporten.test", f"sqlite:///{database}", make_settings()
    )
    app = create_app(settings, configure_logs=False)
    with TestClient(app, base_url="https://ansattporten.test") as test_client:
        yield test_client


@pytest.mark.parametrize(
    "path", ["/.well-known/openid-configuration", "/authorize", "/no-such-page", "/health"]
)
def test_hsts_when_the_issuer_is_https(https_app, path):
    response = https_app.get(path)

    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["content-security-policy"]


def test_the_browser_cookie_is_secure_when_the_issuer_is_https(https_app):
    driver_params = {
        "response_type": "code",
        "client_id": "confidential-service",
        "redirect_uri": "http://service.test/callback",
        "scope": "openid",
        "state": "state-123",
        "nonce": "nonce-123",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
    }
    response = https_app.get("/authorize", params=driver_params, follow_redirects=False)
    assert response.status_code == 303, response.text

    _, attributes = cookie_attributes(response)  # type: ignore[arg-type]

    assert {"secure", "httponly", "samesite=lax"} <= attributes
