"""The `ansattporten:orgno` source without a network: its settings, what it accepts in
a request, the token object it shapes (spec 4.2) and the assertion it signs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from authz_sources import InvalidDetail, Party
from authz_sources.orgno import OrgnoSettings, OrgnoSource
from authz_sources.orgno.assertion import signer_for
from authz_sources.orgno.shape import orgno_object

TOKEN = "a-token-long-enough-0123456789"
BASE = "http://rules.test"


def source(**settings: Any) -> OrgnoSource:
    return OrgnoSource("orgno", OrgnoSettings(base_url=BASE, token=TOKEN, **settings))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"base_url": BASE}, "exactly one of token and private_key_file"),
        ({"base_url": BASE, "token": TOKEN, "private_key_file": "k"}, "exactly one"),
        ({"base_url": BASE, "token": "short"}, "too short"),
        ({"base_url": BASE, "private_key_file": "k"}, "client_id is required"),
        ({"base_url": "rules.test", "token": TOKEN}, "http:// or https://"),
        ({"base_url": BASE, "token": TOKEN, "timeout_ms": 0}, "timeout_ms"),
    ],
)
def test_settings_refused(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(msgspec.ValidationError, match=message):
        msgspec.convert(settings, OrgnoSettings)


def test_only_the_shared_fields_are_accepted() -> None:
    detail = source().parse_detail(
        {"type": "ansattporten:orgno", "allow_multiple_organizations": "true"}
    )
    assert detail.allow_multiple_organizations
    with pytest.raises(InvalidDetail, match="unknown field `resource`"):
        source().parse_detail({"type": "ansattporten:orgno", "resource": "x"})
    with pytest.raises(InvalidDetail, match="`type`"):
        source().parse_detail({"type": "ansattporten:entra"})


def test_the_legacy_shape_allows_one_organisation() -> None:
    raw = {"type": "ansattporten:orgno", "allow_multiple_organizations": True}
    assert not source(legacy_shape=True).parse_detail(raw).allow_multiple_organizations


def test_it_asks_only_about_people_with_an_email_address() -> None:
    assert source().identifiers == ("email",)


ONE = Party(orgno="318610584", name="FJORDLYS TRIVELIG OTER AS", unit_type="AS")
TWO = Party(orgno="311337432", name="AVD BERGEN", unit_type="BEDR", rights=("les",))


def test_the_token_object() -> None:
    assert orgno_object("ansattporten:orgno", [ONE, TWO], legacy=False) == {
        "type": "ansattporten:orgno",
        "authorized_parties": [
            {
                "orgno": {"authority": "iso6523-actorid-upis", "ID": "0192:318610584"},
                "name": "FJORDLYS TRIVELIG OTER AS",
            },
            {
                "orgno": {"authority": "iso6523-actorid-upis", "ID": "0192:311337432"},
                "name": "AVD BERGEN",
                "rights": ["les"],
            },
        ],
    }


def test_the_legacy_token_object() -> None:
    assert orgno_object("ansattporten:orgno", [TWO], legacy=True) == {
        "type": "ansattporten:orgno",
        "orgno": {"authority": "iso6523-actorid-upis", "ID": "0192:311337432"},
    }


def test_the_assertion(tmp_path: Path) -> None:
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
    path = tmp_path / "key.json"
    path.write_text(json.dumps(key.as_dict(private=True)))
    settings = OrgnoSettings(base_url=BASE, client_id="provider", private_key_file=str(path))
    signer = signer_for(settings)
    assert signer is not None
    first, second = signer(), signer()
    assert first.startswith("Bearer ")
    token = jwt.decode(first.removeprefix("Bearer "), key)
    assert token.header["kid"] == "k1"
    claims = token.claims
    assert (claims["iss"], claims["sub"], claims["aud"]) == (
        "provider",
        "provider",
        f"{BASE}/parties",
    )
    assert 0 < claims["exp"] - claims["iat"] <= 300
    assert claims["jti"] != jwt.decode(second.removeprefix("Bearer "), key).claims["jti"]
    assert signer_for(OrgnoSettings(base_url=BASE, token=TOKEN)) is None
