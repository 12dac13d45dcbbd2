"""The broker authenticates with a key instead of a secret: `private_key_jwt` at the
mock ID-porten (assertion `aud` = its issuer, which ID-porten insists on) and a
certificate credential at the mock Entra ID (`aud` = the token endpoint URL), each
mock checking the assertion against the key registered for the client."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from joserfc.jwk import RSAKey

from tests.integration.eids.conftest import ALL, LARS, stack_for
from tests.support.eid_driver import EidDriver
from tests.support.eid_stack import FJORDVIND, EidStack

NORA = "f0abf0ba-bcc0-56e3-8d06-3f7f4ea3ccb1"


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory, mock_altinn: str) -> Iterator[EidStack]:
    key = RSAKey.generate_key(2048, parameters={"kid": "broker-2026"}, private=True)
    key_file = tmp_path_factory.mktemp("keys") / "broker-key.json"
    key_file.write_text(json.dumps(key.as_dict(private=True)))
    with stack_for(tmp_path_factory, mock_altinn, key_file=key_file) as running:
        yield running


def test_idporten_with_private_key_jwt(keyed: EidStack) -> None:
    driver = EidDriver(keyed.provider)
    page = driver.upstream_via(driver.start(acr_values=ALL), "idporten")  # PAR: authenticated
    done = driver.onwards(driver.arrive(driver.idporten_national(page, LARS)))
    assert "code" in driver.callback(done)
    driver.close()


def test_entra_with_a_certificate(keyed: EidStack) -> None:
    driver = EidDriver(keyed.provider)
    page = driver.upstream_via(driver.start(acr_values="entraid"))
    done = driver.onwards(driver.arrive(driver.entra_sign_in(page, FJORDVIND, NORA)))
    assert "code" in driver.callback(done)
    driver.close()
