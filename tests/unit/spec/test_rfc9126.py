"""RFC 9126 request_uri handles."""

from __future__ import annotations

import pytest

from ansattporten.spec.rfc9126 import REQUEST_URI_PREFIX, is_request_uri, new_request_uri


def test_new_request_uri_has_prefix_and_43_char_handle() -> None:
    value = new_request_uri()
    assert value.startswith(REQUEST_URI_PREFIX)
    assert len(value) == len(REQUEST_URI_PREFIX) + 43
    assert is_request_uri(value)


def test_handles_are_unique() -> None:
    assert len({new_request_uri() for _ in range(100)}) == 100


@pytest.mark.parametrize(
    "value",
    [
        "",
        REQUEST_URI_PREFIX,
        "urn:idporten:JF38qJvAge0yvmYC4Hw3P0NXCahVkqlpeVCm_4K0paw",
        REQUEST_URI_PREFIX + "x" * 42,
        REQUEST_URI_PREFIX + "x" * 44,
        REQUEST_URI_PREFIX + "x" * 42 + "/",
        "https://evil.example/" + "x" * 43,
    ],
)
def test_other_values_are_not_request_uris(value: str) -> None:
    assert not is_request_uri(value)
