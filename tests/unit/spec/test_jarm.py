"""The response JWT's claims (JARM 2.1) and how each JWT mode travels (JARM 2.3)."""

from __future__ import annotations

import pytest

from ansattporten.spec.jarm import RESPONSE_LIFETIME, response_claims, transport_of


def test_the_claims_are_the_parameters_with_iss_aud_iat_exp() -> None:
    claims = response_claims(
        {"code": "c", "state": "s", "iss": "https://ap.test"},
        issuer="https://ap.test",
        client_id="svc",
        now=1000,
    )

    assert claims == {
        "code": "c",
        "state": "s",
        "iss": "https://ap.test",
        "aud": "svc",
        "iat": 1000,
        "exp": 1000 + RESPONSE_LIFETIME,
    }


@pytest.mark.parametrize("name", ["aud", "exp", "iss"])
def test_a_parameter_cannot_replace_the_jwts_own_claims(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        response_claims({name: "x"}, issuer="https://ap.test", client_id="svc", now=1)


@pytest.mark.parametrize(
    ("mode", "transport"),
    [("query.jwt", "query"), ("form_post.jwt", "form_post"), ("jwt", "query"), ("query", None)],
)
def test_how_each_mode_travels(mode: str, transport: str | None) -> None:
    assert transport_of(mode) == transport
