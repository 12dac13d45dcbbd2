"""RFC 9207 iss on authorization responses."""

from __future__ import annotations

from ansattporten.spec.rfc9207 import with_issuer


def test_adds_iss_without_touching_the_input() -> None:
    params = {"code": "abc", "state": "s"}
    result = with_issuer(params, "https://test.ansattporten.no")
    assert result == {"code": "abc", "state": "s", "iss": "https://test.ansattporten.no"}
    assert "iss" not in params


def test_error_responses_get_iss_too() -> None:
    result = with_issuer({"error": "access_denied"}, "https://i")
    assert result["iss"] == "https://i"
