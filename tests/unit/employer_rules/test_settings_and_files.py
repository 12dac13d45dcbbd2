"""Settings (strict, with environment overrides and paths relative to the file) and the
data files (organisations, initial rules): mistakes are refused with a message that
names the key or the place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from employer_rules.initial_rules import load_initial_rules
from employer_rules.organisations import FileError, load_organisations
from employer_rules.settings import ADMIN_RESOURCE, SettingsError, load_settings

MINIMAL = """
base_url = "https://rules.example"
[provider]
issuer = "https://provider.example"
client_id = "admin"
client_secret = "s"
[api]
bearer_tokens = ["0123456789abcdef0123456789abcdef"]
"""


def write(folder: Path, text: str) -> Path:
    path = folder / "employer-rules.toml"
    path.write_text(text)
    return path


def test_the_minimal_settings_and_their_defaults(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, MINIMAL), environ={})
    assert settings.provider.admin_resource == ADMIN_RESOURCE
    assert settings.redirect_uri == "https://rules.example/callback"
    assert settings.api_audience == "https://rules.example/parties"
    assert settings.api.types == ["ansattporten:orgno"]
    assert settings.secure_cookies


def test_environment_overrides_and_relative_paths(tmp_path: Path) -> None:
    text = 'organisations_file = "data/orgs.json"\n' + MINIMAL
    settings = load_settings(
        write(tmp_path, text),
        environ={
            "EMPLOYER_RULES_DATABASE_URL": "postgresql://db/rules",
            "EMPLOYER_RULES_PROVIDER__CLIENT_SECRET": "from-the-environment",
            "OTHER_VARIABLE": "x",
        },
    )
    assert settings.database_url == "postgresql://db/rules"
    assert settings.provider.client_secret == "from-the-environment"
    assert settings.organisations_file == tmp_path / "data/orgs.json"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("base_url", "base_urll"), "base_urll"),
        (('"https://rules.example"', '"https://rules.example/"'), "base_url"),
        (('client_secret = "s"', ""), "exactly one of `client_secret`"),
        (('client_secret = "s"', 'client_secret = "s"\nprivate_key_file = "k.pem"'), "exactly one"),
        (('"0123456789abcdef0123456789abcdef"', '"short"'), "32 characters"),
        (('bearer_tokens = ["0123456789abcdef0123456789abcdef"]', ""), "never open"),
        (('client_id = "admin"', 'client_id = "admin"\nadmin_resource = "app"'), "urn:altinn"),
        (("[api]", '[api]\ncallers = [{client_id = "p"}]'), "jwks_file"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(write(tmp_path, MINIMAL.replace(*change)), environ={})
    assert message in str(refused.value)


def test_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read settings file"):
        load_settings(tmp_path / "missing.toml", environ={})
    with pytest.raises(SettingsError, match="cannot read settings file"):
        load_settings(write(tmp_path, "base_url = "), environ={})


def json_file(folder: Path, data: object) -> Path:
    path = folder / "data.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"organisations": [{"orgno": "318610585", "name": "X"}]}, "mod 11"),
        ({"organisations": [{"orgno": "318610584", "name": ""}]}, "name"),
        ({"organisations": [{"orgno": "318610584", "name": "X", "typo": 1}]}, "typo"),
        ({"organisations": [{"orgno": "311337432", "name": "X", "parent_orgno": "1"}]}, "mod 11"),
        ({"organisations": [{"orgno": "318610584", "name": "X"}] * 2}, "twice"),
        ({"orgs": []}, "orgs"),
    ],
)
def test_broken_organisation_files(tmp_path: Path, data: object, message: str) -> None:
    with pytest.raises(FileError) as refused:
        load_organisations(json_file(tmp_path, data))
    assert message in str(refused.value)
    assert "data.json" in str(refused.value)


def test_initial_rules_are_checked_like_the_form(tmp_path: Path) -> None:
    rule = {"orgno": "318610584", "kind": "email", "identifier": "Kari@Oter.Example"}
    [loaded] = load_initial_rules(json_file(tmp_path, {"rules": [rule]}))
    assert loaded.value == "kari@oter.example"
    for broken, message in [
        ({**rule, "identifier": "kari"}, "email_invalid"),
        ({**rule, "orgno": "1"}, "rules[0]"),
        ({**rule, "rights": ["les"]}, "rights_need_single_client"),
        ({**rule, "client_filter": "maybe"}, "client_filter"),
    ]:
        with pytest.raises(FileError) as refused:
            load_initial_rules(json_file(tmp_path, {"rules": [broken]}))
        assert message in str(refused.value)


def test_a_private_key_file_that_cannot_sign(tmp_path: Path) -> None:
    from joserfc.jwk import RSAKey

    from employer_rules.admin.client_assertion import KeyFileError, load_private_key

    public = tmp_path / "public.json"
    public.write_text(json.dumps(RSAKey.generate_key(2048).as_dict(private=False)))
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    for path, message in [
        (tmp_path / "missing.pem", "cannot read"),
        (public, "private"),
        (garbage, "not an RSA or EC key"),
    ]:
        with pytest.raises(KeyFileError) as refused:
            load_private_key(path, None)
        assert message in str(refused.value)
        assert "provider.private_key_file" in str(refused.value)
