"""Signing-key rotation with `ansattporten keys rotate|list`, run as a separate process
against the database the running providers use (as an operator would), and ES256
id_tokens for the client that asks for them.

The providers re-read the keys on every request here (`key_reload_seconds = 0`); the
rule under test is what a rotation publishes and signs, not the reload interval.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jws

from tests.integration.security.conftest import driver_factory
from tests.integration.security.support import ClientKeys, SecurityDriver
from tests.support.oauth_checks import sqlite_url_in
from tests.support.provider import RunningProvider, run_provider
from tests.support.tokens import verified_claims

CLI = Path(sys.executable).parent / "ansattporten"


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return sqlite_url_in(tmp_path_factory, "rotation")


@pytest.fixture(scope="module")
def config(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rotation-config") / "ansattporten.toml"
    path.write_text(f'database_url = "{database_url}"\n')
    return path


@pytest.fixture(scope="module")
def instances(database_url, make_settings) -> Iterator[list[RunningProvider]]:
    """Two instances on one database with one issuer, as behind a load balancer."""
    overrides = make_settings(key_reload_seconds=0)
    with run_provider(database_url, overrides) as first:
        same_issuer = {**overrides, "issuer": first.settings.issuer}
        with run_provider(database_url, same_issuer) as second:
            yield [first, second]


@pytest.fixture
def drivers(instances, client_keys: ClientKeys) -> Iterator[Any]:
    made: list[SecurityDriver] = []

    def make(client_id: str = "confidential-service", instance: int = 0) -> SecurityDriver:
        make_one, _ = driver_factory(instances[instance], client_keys)
        made.append(make_one(client_id))
        return made[-1]

    yield make
    for driver in made:
        driver.close()


def cli(config: Path, *args: str) -> str:
    done = subprocess.run(
        [str(CLI), "keys", *args, "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout


def published_kid(output: str) -> str:
    """`published <kid> (<alg>); it signs from ...` -> kid."""
    line = next(line for line in output.splitlines() if line.startswith("published "))
    return line.split()[1]


def key_states(config: Path) -> dict[str, str]:
    """kid -> state, from `keys list`."""
    states = {}
    for line in cli(config, "list").splitlines():
        kid, _alg, state, *_ = line.split("\t")
        states[kid] = state
    return states


def kid_of(token: str) -> str:
    return str(jws.extract_compact(token.encode()).headers()["kid"])


def alg_of(token: str) -> str:
    return str(jws.extract_compact(token.encode()).headers()["alg"])


def jwks_kids(base_url: str) -> set[str]:
    return {key["kid"] for key in httpx.get(f"{base_url}/jwks.json", timeout=10).json()["keys"]}


def test_rotate_publishes_a_next_key_that_does_not_sign_yet(drivers, instances, config):
    driver = drivers()
    before = driver.tokens()

    kid = published_kid(cli(config, "rotate"))

    after = driver.tokens()
    for instance in instances:
        assert kid in jwks_kids(instance.base_url)
    assert kid_of(after["access_token"]) == kid_of(before["access_token"]) != kid
    assert kid_of(after["id_token"]) != kid
    states = key_states(config)
    assert states[kid] == "next"
    assert states[kid_of(before["access_token"])] == "active"


def test_rotate_now_signs_with_the_new_key_and_old_tokens_still_verify(drivers, instances, config):
    driver = drivers("confidential-service", instance=0)
    old = driver.tokens()
    old_kid = kid_of(old["access_token"])

    kid = published_kid(cli(config, "rotate", "--now"))

    new = driver.tokens()
    assert kid_of(new["access_token"]) == kid_of(new["id_token"]) == kid != old_kid
    # the other instance accepts the new key's tokens at once, before anyone asks it
    # for /token or /jwks.json
    other = drivers("confidential-service", instance=1)
    assert other.userinfo(new["access_token"]).status_code == 200
    assert other.introspect(new["access_token"]).json()["active"] is True
    for instance in instances:
        assert {kid, old_kid} <= jwks_kids(instance.base_url)
        # tokens signed before the rotation still verify against the published JWKS
        for token in (old["access_token"], old["id_token"], new["access_token"]):
            verified_claims(instance.base_url, token)
    assert other.userinfo(old["access_token"]).status_code == 200
    states = key_states(config)
    assert states[kid] == "active"
    assert states[old_kid] == "previous"
    assert set(states.values()) <= {"active", "next", "previous", "retired"}
    assert list(states.values()).count("active") == 2  # one RS256, one ES256


def test_es256_id_token_for_the_client_that_asks(drivers, instances):
    driver = drivers("es256-service")

    tokens = driver.tokens()

    assert alg_of(tokens["id_token"]) == "ES256"
    claims = verified_claims(instances[0].base_url, tokens["id_token"])
    assert claims["aud"] == "es256-service"
    jwk = next(
        key
        for key in httpx.get(f"{instances[0].base_url}/jwks.json").json()["keys"]
        if key["kid"] == kid_of(tokens["id_token"])
    )
    assert (jwk["kty"], jwk["crv"]) == ("EC", "P-256")
    assert alg_of(tokens["access_token"]) == "RS256"  # access tokens stay RS256


def test_rs256_id_token_for_everyone_else(drivers):
    assert alg_of(drivers("confidential-service").tokens()["id_token"]) == "RS256"


def test_es256_rotation_moves_es256_id_tokens_to_the_new_key(drivers, instances, config):
    driver = drivers("es256-service")
    old = driver.tokens()["id_token"]

    kid = published_kid(cli(config, "rotate", "--alg", "ES256", "--now"))

    new = driver.tokens()["id_token"]
    assert kid_of(new) == kid != kid_of(old)
    assert alg_of(new) == "ES256"
    verified_claims(instances[0].base_url, old)
    verified_claims(instances[0].base_url, new)
