"""Request objects (OIDC Core 6, RFC 9101): never silently ignored. A client without a
registered key sending `request=` is told `request_not_supported` (a client with one:
tests/integration/clients/test_jar.py); a request object by reference (any
`request_uri` but a pushed request's handle) `request_uri_not_supported`, and discovery
says by-reference is unsupported, as ID-porten's does."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from tests.integration.core.conftest import MakeDriver
from tests.support.oauth_checks import assert_error_page, assert_error_redirect, assert_json_error
from tests.support.provider import RunningProvider


def unsigned_request_object(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}."


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_request_object_at_authorize_is_refused_not_ignored(
    make_driver: MakeDriver, shared_provider: RunningProvider, method: str
) -> None:
    driver = make_driver()
    params = driver.params(request=unsigned_request_object({"scope": "openid profile"}))

    if method == "GET":
        response = driver.authorize(params)
    else:
        response = driver.browser.post("/authorize", data=params)

    assert_error_redirect(
        response,
        driver.redirect_uri,
        "request_not_supported",
        issuer=shared_provider.settings.issuer,
        state=driver.state,
    )


def test_a_request_object_at_par_is_refused(make_driver: MakeDriver) -> None:
    driver = make_driver()

    response = driver.push(driver.params(request=unsigned_request_object({"nonce": "n"})))

    assert_json_error(response, "request_not_supported")


@pytest.mark.parametrize(
    "request_uri",
    ["https://service.test/request.jwt", "urn:idporten:JF38qJvAge0yvmYC4Hw3P0NXCahVkqlp"],
)
def test_a_request_object_by_reference_is_refused(
    make_driver: MakeDriver, shared_provider: RunningProvider, request_uri: str
) -> None:
    driver = make_driver()

    response = driver.authorize(driver.params(request_uri=request_uri))

    assert_error_redirect(
        response,
        driver.redirect_uri,
        "request_uri_not_supported",
        issuer=shared_provider.settings.issuer,
        state=driver.state,
    )


def test_without_a_trusted_redirect_uri_the_refusal_is_a_page(make_driver: MakeDriver) -> None:
    driver = make_driver()

    response = driver.authorize(
        {"client_id": driver.client_id, "request_uri": "https://service.test/request.jwt"}
    )

    assert_error_page(response)
    assert "request_uri" in response.text


def test_discovery_says_request_objects_by_reference_are_unsupported(
    shared_provider: RunningProvider,
) -> None:
    metadata = httpx.get(f"{shared_provider.base_url}/.well-known/openid-configuration").json()

    assert metadata["request_uri_parameter_supported"] is False
