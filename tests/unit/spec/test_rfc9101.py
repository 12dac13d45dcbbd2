"""A request object's claims as the request's parameters (RFC 9101 4-6)."""

from __future__ import annotations

import json

import pytest

from ansattporten.errors import InvalidRequestObject
from ansattporten.spec.rfc9101 import MAX_LIFETIME, request_parameters

ISSUER = "https://ap.test"
NOW = 1_800_000_000


def claims(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "iss": "svc",
        "aud": ISSUER,
        "client_id": "svc",
        "exp": NOW + 60,
        "iat": NOW,
        "jti": "j",
        "response_type": "code",
        "state": "s",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def parameters(**changes: object) -> dict[str, str]:
    return request_parameters(claims(**changes), client_id="svc", issuer=ISSUER, now=NOW)


def test_the_claims_about_the_object_are_no_parameters() -> None:
    assert parameters() == {"client_id": "svc", "response_type": "code", "state": "s"}


def test_numbers_and_authorization_details_become_parameter_text() -> None:
    details = [{"type": "ansattporten:altinn:resource", "resource": "urn:altinn:resource:x"}]

    got = parameters(max_age=300, authorization_details=details)

    assert got["max_age"] == "300"
    assert json.loads(got["authorization_details"]) == details


@pytest.mark.parametrize("value", [True, 1.5, {"a": 1}, ["x"]])
def test_other_values_are_refused(value: object) -> None:
    with pytest.raises(InvalidRequestObject, match="nonce"):
        parameters(nonce=value)


def test_aud_may_be_a_list_with_the_issuer_and_client_id_may_be_left_out() -> None:
    assert parameters(aud=["https://other.test", ISSUER], client_id=None)["client_id"] == "svc"


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"iss": "other"}, "iss"),
        ({"iss": None}, "iss"),
        ({"client_id": "other"}, "client_id"),
        ({"aud": "https://other.test"}, "aud"),
        ({"aud": None}, "aud"),
        ({"exp": None}, "exp"),
        ({"exp": NOW}, "expired"),
        ({"exp": NOW + MAX_LIFETIME + 1}, "at most"),
        ({"nbf": NOW + 3600}, "not valid yet"),
        ({"request": "x.y.z"}, "request"),
        ({"request_uri": "https://svc.test/r"}, "request_uri"),
    ],
)
def test_an_object_for_someone_else_or_another_time_is_refused(
    changes: dict[str, object], refusal: str
) -> None:
    with pytest.raises(InvalidRequestObject, match=refusal):
        parameters(**changes)
