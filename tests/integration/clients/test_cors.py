"""CORS for browser apps, exactly on discovery, the JWKS, /token, /userinfo and
/token/revoke: for the origins of the clients' redirect URIs and their registered
`allowed_cors_origins`, never with credentials, never on the browser pages."""

from __future__ import annotations

import httpx
import pytest

from tests.support.provider import RunningProvider

APP = "https://app.test:8443"
"""The origin of browser-app's first redirect URI."""
CORS_ENDPOINTS = {
    "/.well-known/openid-configuration": "GET",
    "/.well-known/oauth-authorization-server": "GET",
    "/jwks.json": "GET",
    "/token": "POST",
    "/userinfo": "GET",
    "/token/revoke": "POST",
}
NOT_CORS = ["/authorize", "/par", "/token/introspect", "/logout", "/login/x", "/health"]


def preflight(
    provider: RunningProvider, path: str, origin: str, method: str, headers: str = ""
) -> httpx.Response:
    request_headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        request_headers["Access-Control-Request-Headers"] = headers
    return httpx.options(f"{provider.base_url}{path}", headers=request_headers)


def assert_no_cors(response: httpx.Response) -> None:
    granted = [name for name in response.headers if name.lower().startswith("access-control-")]
    assert granted == [], dict(response.headers)


@pytest.mark.parametrize(("path", "method"), CORS_ENDPOINTS.items())
def test_a_preflight_from_a_registered_origin_is_granted(provider, path, method):
    response = preflight(provider, path, APP, method, "authorization,content-type,dpop")

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == APP
    assert method in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "dpop"} <= {
        h.strip() for h in allowed_headers.split(",")
    }
    assert int(response.headers["access-control-max-age"]) > 0
    assert "origin" in response.headers["vary"].lower()
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:5173",  # browser-app's second redirect URI
        "https://other.test",  # allowed_cors_origins
        "https://upper.test",  # allowed_cors_origins, registered as HTTPS://Upper.Test:443
        "http://service.test",  # another client's redirect URI
    ],
)
def test_every_registered_origin_is_granted(provider, origin):
    response = preflight(provider, "/token", origin, "POST")

    assert response.headers["access-control-allow-origin"] == origin


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.test",
        "https://app.test",
        "http://app.test:8443",
        "null",
        "https://other.test.evil",
    ],
)
def test_an_unknown_origin_gets_nothing(provider, origin):
    response = preflight(provider, "/token", origin, "POST")

    assert response.status_code == 403
    assert_no_cors(response)
    assert_no_cors(
        httpx.get(f"{provider.base_url}/jwks.json", headers={"Origin": origin}, timeout=10)
    )


@pytest.mark.parametrize("path", NOT_CORS)
def test_no_cors_anywhere_else(provider, path):
    assert_no_cors(preflight(provider, path, APP, "POST"))
    assert_no_cors(preflight(provider, path, APP, "GET"))
    assert_no_cors(httpx.get(f"{provider.base_url}{path}", headers={"Origin": APP}, timeout=10))


def test_a_method_the_endpoint_does_not_take_is_not_granted(provider):
    response = preflight(provider, "/token", APP, "PUT")

    assert "PUT" not in response.headers.get("access-control-allow-methods", "")


@pytest.mark.parametrize("path", ["/.well-known/openid-configuration", "/jwks.json"])
def test_documents_are_readable_by_an_allowed_origin(provider, path):
    response = httpx.get(f"{provider.base_url}{path}", headers={"Origin": APP}, timeout=10)

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == APP
    assert "origin" in response.headers["vary"].lower()
    assert "access-control-allow-credentials" not in response.headers


def test_documents_vary_by_origin_even_without_one(provider):
    """A shared cache must not hand an answer made for one origin to another."""
    response = httpx.get(f"{provider.base_url}/jwks.json", timeout=10)

    assert "origin" in response.headers["vary"].lower()
    assert_no_cors(response)


def test_token_userinfo_and_revocation_answer_the_app(make_driver, provider):
    app = make_driver("browser-app")
    code = app.login_for_code("45840375084")
    tokens = app.service.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": app.redirect_uri,
            "code_verifier": app.verifier,
            "client_id": "browser-app",
        },
        headers={"Origin": APP},
    )
    userinfo = app.service.get(
        "/userinfo",
        headers={"Origin": APP, "Authorization": f"Bearer {tokens.json()['access_token']}"},
    )
    revoked = app.service.post(
        "/token/revoke",
        data={"token": tokens.json()["access_token"], "client_id": "browser-app"},
        headers={"Origin": APP},
    )
    refused = app.service.get(
        "/userinfo", headers={"Origin": APP, "Authorization": "Bearer nothing"}
    )

    for response in (tokens, userinfo, revoked, refused):
        assert response.headers["access-control-allow-origin"] == APP, response.text
        assert "access-control-allow-credentials" not in response.headers
    assert (tokens.status_code, userinfo.status_code, revoked.status_code) == (200, 200, 200)
    assert refused.status_code == 401
    exposed = refused.headers["access-control-expose-headers"].lower()
    assert "www-authenticate" in exposed
    assert "dpop-nonce" in exposed
