"""Discovery metadata (OpenID Connect Discovery and RFC 8414): the members Ansattporten
clients rely on, at both well-known paths, and that what is advertised actually works."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from authlib.oidc.discovery import OpenIDProviderMetadata

from ansattporten.spec import rfc7523
from tests.integration.core.conftest import MakeDriver
from tests.support.provider import RunningProvider

WELL_KNOWN = ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]


@pytest.fixture(scope="module")
def metadata(shared_provider: RunningProvider) -> dict[str, Any]:
    response = httpx.get(f"{shared_provider.base_url}{WELL_KNOWN[0]}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def test_both_well_known_paths_serve_the_same_document(
    shared_provider: RunningProvider, metadata: dict[str, Any]
) -> None:
    other = httpx.get(f"{shared_provider.base_url}{WELL_KNOWN[1]}")
    assert other.status_code == 200
    assert other.json() == metadata


def test_required_members(shared_provider: RunningProvider, metadata: dict[str, Any]) -> None:
    issuer = shared_provider.settings.issuer
    assert metadata["issuer"] == issuer
    assert not issuer.endswith("/")
    for name in (
        "authorization_endpoint",
        "pushed_authorization_request_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "introspection_endpoint",
    ):
        assert metadata[name].startswith(issuer + "/"), name
    assert metadata["pushed_authorization_request_endpoint"] == f"{issuer}/par"
    assert metadata["jwks_uri"] == f"{issuer}/jwks.json"
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["response_types_supported"] == ["code"]
    assert {"query", "form_post"} <= set(metadata["response_modes_supported"])
    assert "authorization_code" in metadata["grant_types_supported"]
    assert {"idporten-loa-substantial", "idporten-loa-high"} <= set(
        metadata["acr_values_supported"]
    )
    assert sorted(metadata["ui_locales_supported"]) == ["en", "nb", "nn", "se"]
    assert metadata["authorization_details_types_supported"] == []  # no source enabled
    assert {"client_secret_basic", "client_secret_post", "none"} <= set(
        metadata["token_endpoint_auth_methods_supported"]
    )
    assert "RS256" in metadata["id_token_signing_alg_values_supported"]
    assert "openid" in metadata["scopes_supported"]
    assert metadata["subject_types_supported"] == ["public", "pairwise"]


@pytest.mark.parametrize(
    ("member", "method", "not_status"),
    [
        ("authorization_endpoint", "GET", 404),
        ("pushed_authorization_request_endpoint", "POST", 404),
        ("token_endpoint", "POST", 404),
        ("userinfo_endpoint", "GET", 404),
        ("introspection_endpoint", "POST", 404),
    ],
)
def test_advertised_endpoints_exist(
    shared_provider: RunningProvider,
    metadata: dict[str, Any],
    member: str,
    method: str,
    not_status: int,
) -> None:
    path = metadata[member][len(shared_provider.settings.issuer) :]
    response = httpx.request(method, f"{shared_provider.base_url}{path}")
    assert response.status_code != not_status
    assert response.status_code < 500


def test_jwks_uri_serves_keys(shared_provider: RunningProvider, metadata: dict[str, Any]) -> None:
    path = metadata["jwks_uri"][len(shared_provider.settings.issuer) :]
    response = httpx.get(f"{shared_provider.base_url}{path}")
    assert response.status_code == 200
    assert response.json()["keys"]


def test_every_advertised_acr_value_and_response_mode_is_accepted(
    make_driver: MakeDriver, metadata: dict[str, Any]
) -> None:
    for acr in metadata["acr_values_supported"]:
        driver = make_driver()
        response = driver.authorize(driver.params(acr_values=acr))
        assert response.status_code == 303
        assert "/login/" in response.headers["location"], (acr, response.headers["location"])
    for mode in metadata["response_modes_supported"]:
        driver = make_driver()
        response = driver.authorize(driver.params(response_mode=mode))
        assert response.status_code == 303
        assert "/login/" in response.headers["location"], (mode, response.headers["location"])
    for locale in metadata["ui_locales_supported"]:
        driver = make_driver()
        login_url = driver.start(via_par=False, ui_locales=locale)
        page = driver.browser.get(login_url)
        assert f'lang="{locale}"' in page.text, locale


def test_authlib_accepts_the_document_as_rfc8414_and_oidc_discovery(
    metadata: dict[str, Any],
) -> None:
    """Authlib's metadata classes check every member RFC 8414 2 and OpenID Connect
    Discovery 3 define; e.g. `private_key_jwt` at revocation needs its algorithms."""
    AuthorizationServerMetadata(metadata).validate()
    OpenIDProviderMetadata(metadata).validate()


@pytest.mark.parametrize("endpoint", ["token", "introspection", "revocation"])
def test_each_private_key_jwt_endpoint_names_the_assertion_algorithms(
    metadata: dict[str, Any], endpoint: str
) -> None:
    assert "private_key_jwt" in metadata[f"{endpoint}_endpoint_auth_methods_supported"]
    assert metadata[f"{endpoint}_endpoint_auth_signing_alg_values_supported"] == list(
        rfc7523.ALGORITHMS
    )


def test_sessions_and_logout_are_advertised(
    shared_provider: RunningProvider, metadata: dict[str, Any]
) -> None:
    """OpenID Front-Channel and Back-Channel Logout 1.0 (with `sid`), at the
    RP-initiated logout endpoint, and `prompt=none` (answered within a session)."""
    for name in (
        "frontchannel_logout_supported",
        "frontchannel_logout_session_supported",
        "backchannel_logout_supported",
        "backchannel_logout_session_supported",
    ):
        assert metadata[name] is True, name
    assert metadata["end_session_endpoint"] == f"{shared_provider.settings.issuer}/logout"
    assert "sid" in metadata["claims_supported"]
    assert "none" in metadata["prompt_values_supported"]
