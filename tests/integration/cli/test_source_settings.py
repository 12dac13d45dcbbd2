"""`ansattporten serve` refuses Altinn settings it cannot use, at start-up, with one line
naming the setting (and no traceback): a missing key file, a wrong certificate password,
a key and a certificate at once, Maskinporten settings without an issuer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.maskinporten_keys import ClientKeys


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> ClientKeys:
    return ClientKeys(tmp_path_factory.mktemp("cli-keys"))


def settings(folder: Path, altinn: str) -> Path:
    path = folder / "ansattporten.toml"
    path.write_text(
        f'issuer = "http://127.0.0.1:8000"\n'
        f'database_url = "sqlite:///{folder / "db.sqlite"}"\n'
        "[sources.altinn]\n"
        'base_url = "http://127.0.0.1:9"\n' + altinn,
        encoding="utf-8",
    )
    return path


MASKINPORTEN = (
    'maskinporten_issuer = "https://test.maskinporten.no/"\nmaskinporten_client_id = "c"\n'
)


@pytest.mark.parametrize(
    ("altinn", "message"),
    [
        (
            MASKINPORTEN + 'maskinporten_key = "{missing}"\n',
            "error: source 'altinn': maskinporten_key: cannot read ",
        ),
        (
            MASKINPORTEN
            + 'maskinporten_certificate = "{p12}"\nmaskinporten_certificate_password = "wrong"\n',
            "error: source 'altinn': maskinporten_certificate: cannot open ",
        ),
        (
            MASKINPORTEN + 'maskinporten_key = "{jwk}"\nmaskinporten_certificate = "{p12}"\n',
            "set exactly one of maskinporten_key and maskinporten_certificate",
        ),
        (
            'maskinporten_client_id = "c"\nmaskinporten_key = "{jwk}"\n',
            "the maskinporten_* settings need maskinporten_issuer",
        ),
        (
            MASKINPORTEN + 'maskinporten_key = "{pem}"\n',
            "maskinporten_key: no key id: set maskinporten_kid",
        ),
        (
            MASKINPORTEN + 'maskinporten_key = "{jwk}"\nbearer_token = "x"\n',
            "bearer_token and maskinporten_issuer exclude each other",
        ),
    ],
)
def test_unusable_altinn_settings_stop_serve_in_one_line(
    tmp_path: Path, keys: ClientKeys, altinn: str, message: str
) -> None:
    text = altinn.format(
        missing=tmp_path / "nowhere.pem", p12=keys.p12_file, jwk=keys.jwk_file, pem=keys.pem_file
    )
    result = run_cli("serve", "--config", str(settings(tmp_path, text)))
    assert result.returncode == 2
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    assert message in lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert keys.password not in result.stdout


def test_mock_maskinporten_refuses_a_bad_clients_file(tmp_path: Path) -> None:
    clients = tmp_path / "clients.json"
    clients.write_text('{"clients": [{"client_id": "c", "orgno": "12", "scopes": []}]}')
    result = run_cli("mock-maskinporten", "--clients", str(clients), "--port", "9")
    assert result.returncode == 2
    assert result.stdout.startswith("error: mock Maskinporten clients:")
    assert "Traceback" not in result.stderr
