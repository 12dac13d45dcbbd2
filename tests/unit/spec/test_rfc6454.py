"""Origins as browsers send them in `Origin` (RFC 6454 6.2)."""

from __future__ import annotations

import pytest

from ansattporten.spec.rfc6454 import exact_origin, origin_of


@pytest.mark.parametrize(
    ("uri", "origin"),
    [
        ("https://app.test/callback?x=1", "https://app.test"),
        ("https://App.Test:443/cb", "https://app.test"),
        ("http://app.test:80/", "http://app.test"),
        ("http://127.0.0.1:5173/cb", "http://127.0.0.1:5173"),
        ("https://app.test:8443", "https://app.test:8443"),
        ("http://[::1]:8080/cb", "http://[::1]:8080"),
    ],
)
def test_the_origin_of_a_uri(uri: str, origin: str) -> None:
    assert origin_of(uri) == origin


@pytest.mark.parametrize(
    "uri",
    [
        "app.test/cb",
        "ftp://app.test/",
        "https://user@app.test/",
        "https://app.test:99999/",
        "no.scheme:1/x",
        "https:///cb",
    ],
)
def test_uris_without_a_web_origin(uri: str) -> None:
    assert origin_of(uri) is None


@pytest.mark.parametrize(
    "value", ["https://app.test/", "https://app.test/x", "https://app.test?", "https://app.test#"]
)
def test_an_exact_origin_has_nothing_after_the_port(value: str) -> None:
    assert exact_origin(value) is None


def test_an_exact_origin_is_serialised() -> None:
    assert exact_origin("HTTPS://APP.test:443") == "https://app.test"
