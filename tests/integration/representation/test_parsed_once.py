"""`authorization_details` are parsed once per request that carries them: at /par (or at
/authorize without PAR), by the source that owns each type. Every later step - the
picker, a search in it, the choice, the token, a refresh that asks the registers again
- works on the parsed objects the login carries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ansattporten.rar import Representation
from authz_sources.altinn.source import AltinnSource
from tests.support.altinn_oracle import resource_detail
from tests.support.login_driver import LoginDriver
from tests.support.provider import run_provider
from tests.support.representation import open_picker, rechecking_provider, refresh, to_picker

RESOURCE = "app_ttd_apps-test"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts `Representation.validate` (the request's whole list) and the Altinn
    source's `parse_detail` (one object) in the running provider."""
    counted = {"validate": 0, "parse_detail": 0}
    validate, parse_detail = Representation.validate, AltinnSource.parse_detail

    def counting_validate(self: Representation, details: Any) -> Any:
        counted["validate"] += 1
        return validate(self, details)

    def counting_parse(self: AltinnSource, raw: Any) -> Any:
        counted["parse_detail"] += 1
        return parse_detail(self, raw)

    monkeypatch.setattr(Representation, "validate", counting_validate)
    monkeypatch.setattr(AltinnSource, "parse_detail", counting_parse)
    return counted


@pytest.fixture
def driver(mock_altinn: str, sqlite_url: str) -> Iterator[LoginDriver]:
    with run_provider(sqlite_url, rechecking_provider(mock_altinn, recheck=True)) as provider:
        driver = LoginDriver(provider.base_url)
        yield driver
        driver.close()


@pytest.mark.parametrize("via_par", [True, False], ids=["par", "authorize"])
def test_one_login_parses_its_details_once(
    driver: LoginDriver,
    parses: dict[str, int],
    altinn_people: dict[str, str],
    via_par: bool,
) -> None:
    details = [resource_detail(RESOURCE), resource_detail(RESOURCE, actions="read")]
    picker = to_picker(driver, details, altinn_people["main_with_subunits"], via_par=via_par)
    open_picker(driver, picker)
    page = open_picker(driver, picker, query="AS")  # a search asks nobody and parses nothing
    orgno = next(party for party in page.parties)
    code = driver.callback(driver.choose(picker, parties=[orgno]))["code"]
    tokens = driver.redeem(code).json()
    refreshed = refresh(driver, tokens["refresh_token"])
    userinfo = driver.service.get(
        "/userinfo", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    )

    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["authorization_details"] == tokens["authorization_details"]
    assert userinfo.status_code == 200
    assert parses == {"validate": 1, "parse_detail": len(details)}
