"""How a mock reads the client's credentials: exactly one method, Basic decoded as
RFC 6749 2.3.1 says (form-urlencoded parts)."""

from __future__ import annotations

import base64

import pytest

from ansattporten.upstream_mocks.client_auth import ClientAuthError, read_credentials


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_parts_are_form_decoded() -> None:
    found = read_credentials({}, basic("my%3Aclient", "s%2Bcret"))
    assert (found.client_id, found.method, found.secret) == (
        "my:client",
        "client_secret_basic",
        "s+cret",
    )


@pytest.mark.parametrize(
    ("form", "header", "error"),
    [
        ({"client_secret": "x", "client_id": "a"}, basic("a", "x"), "invalid_request"),
        ({"client_id": "b"}, basic("a", "x"), "invalid_client"),
        ({}, "Basic !!!", "invalid_client"),
        ({}, None, "invalid_client"),
        ({"client_assertion_type": "urn:other", "client_assertion": "x"}, None, "invalid_request"),
        ({"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          "client_assertion": "not-a-jwt"}, None, "invalid_client"),
    ],
)  # fmt: skip
def test_refused(form: dict[str, str], header: str | None, error: str) -> None:
    with pytest.raises(ClientAuthError) as caught:
        read_credentials(form, header)
    assert caught.value.error == error


def test_no_credentials_but_a_client_id_is_a_public_client() -> None:
    assert read_credentials({"client_id": "spa"}, None).method == "none"
