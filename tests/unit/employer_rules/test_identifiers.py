"""Identifiers in canonical form: e-mail addresses, e-mail domains, Entra group ids;
and organisation numbers with their mod-11 check digit."""

from __future__ import annotations

import pytest

from employer_rules.identifiers import IdentifierError, canonical
from employer_rules.orgno import is_valid_orgno


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kari@oter.example", "kari@oter.example"),
        ("  Kari.Nordmann@Oter.EXAMPLE. ", "kari.nordmann@oter.example"),
        ("kari+test@avd.oter.example", "kari+test@avd.oter.example"),
        ("kari@bølgen.no", "kari@xn--blgen-vua.no"),
        ("o'brien@oter.example", "o'brien@oter.example"),
    ],
)
def test_e_mail_addresses(text: str, expected: str) -> None:
    assert canonical("email", text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "kari",
        "@oter.example",
        "kari@",
        "kari@oter",
        "kari@@oter.example",
        "kari nordmann@oter.example",
        "kari..n@oter.example",
        ".kari@oter.example",
        "kari@-oter.example",
        "kari@oter..example",
        "kari@oter.example, ola@oter.example",
        "kari@oter.123",
        "k" * 65 + "@oter.example",
        "kari@" + "a" * 64 + ".example",
    ],
)
def test_not_e_mail_addresses(text: str) -> None:
    with pytest.raises(IdentifierError) as refused:
        canonical("email", text)
    assert refused.value.code == "email_invalid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oter.example", "oter.example"),
        ("OTER.Example.", "oter.example"),
        ("@oter.example", "oter.example"),
        ("bølgen.no", "xn--blgen-vua.no"),
        ("xn--blgen-vua.no", "xn--blgen-vua.no"),
    ],
)
def test_domains(text: str, expected: str) -> None:
    assert canonical("domain", text) == expected


@pytest.mark.parametrize(
    "text", ["", "oter", "oter_x.example", "kari@oter.example", "oter .example", "-a.no", "a.n"]
)
def test_not_domains(text: str) -> None:
    with pytest.raises(IdentifierError) as refused:
        canonical("domain", text)
    assert refused.value.code == "domain_invalid"


def test_groups_are_guids_in_lowercase() -> None:
    guid = "0B5C2A43-6D4E-4F0A-9B1E-2C3D4E5F6A7B"
    assert canonical("group", f" {guid} ") == guid.lower()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1111-1111-1111",
        "ea123b45d-9yt1-iu78-0a0a-99aabbcc999a",
        "0b5c2a436d4e4f0a9b1e2c3d4e5f6a7b",
    ],
)
def test_not_groups(text: str) -> None:
    with pytest.raises(IdentifierError) as refused:
        canonical("group", text)
    assert refused.value.code == "group_invalid"


@pytest.mark.parametrize("orgno", ["318610584", "311337432", "974760673", "991825827"])
def test_organisation_numbers(orgno: str) -> None:
    assert is_valid_orgno(orgno)


@pytest.mark.parametrize(
    "orgno", ["318610585", "31861058", "3186105840", "31861058a", "３１８６１０５８４", ""]
)
def test_not_organisation_numbers(orgno: str) -> None:
    assert not is_valid_orgno(orgno)
