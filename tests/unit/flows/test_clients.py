"""A client's registration is checked once, when it is created from settings or the
command line: a bad organisation number or origin stops it there, with its name."""

from __future__ import annotations

import pytest

from ansattporten.errors import InvalidClientMetadata
from ansattporten.flows.clients import client_record
from ansattporten.settings import ClientSettings


def settings(**changes: object) -> ClientSettings:
    values: dict[str, object] = {
        "client_id": "svc",
        "redirect_uris": ["https://svc.test/cb"],
        "client_secret": "a-secret-0123456789",
    }
    values.update(changes)
    return ClientSettings(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("orgno", ["99182582", "9918258270", "991825828", "99182582x", "٩٩١٨٢٥٨٢٧"])
def test_an_organisation_number_must_be_nine_digits_valid_mod_11(orgno: str) -> None:
    with pytest.raises(InvalidClientMetadata, match="organization_number"):
        client_record(settings(organization_number=orgno))


def test_a_valid_organisation_number_is_kept() -> None:
    assert client_record(settings(organization_number="991825827")).organization_number == (
        "991825827"
    )


@pytest.mark.parametrize(
    "origin",
    ["https://app.test/", "https://app.test/path", "app.test", "ftp://app.test", "https://"],
)
def test_a_cors_origin_must_be_exactly_an_origin(origin: str) -> None:
    with pytest.raises(InvalidClientMetadata, match="allowed_cors_origins"):
        client_record(settings(allowed_cors_origins=[origin]))


def test_cors_origins_are_kept_in_their_serialised_form() -> None:
    record = client_record(
        settings(allowed_cors_origins=["HTTPS://App.Test:443", "http://127.0.0.1:5173"])
    )
    assert record.allowed_cors_origins == ("https://app.test", "http://127.0.0.1:5173")


@pytest.mark.parametrize("subject_type", ["public", "pairwise"])
def test_the_subject_type_is_registered(subject_type: str) -> None:
    assert client_record(settings(subject_type=subject_type)).subject_type == subject_type
