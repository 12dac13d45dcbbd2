"""Refresh with `refresh_rechecks_sources`: the registers are asked again; a right
withdrawn since the login ends the grant, and without the setting the login's answer is
repeated."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from authz_sources.altinn.mock import create_mock_app
from tests.support.altinn_oracle import resource_detail, units
from tests.support.login_driver import LoginDriver
from tests.support.provider import run_provider
from tests.support.representation import to_picker
from tests.support.servers import serve_in_thread
from tests.support.switchable_asgi import Switchable

RESOURCE = "app_ttd_apps-test"
CLIENT = {
    "client_id": "confidential-service",
    "client_secret": "confidential-secret-0123456789",
    "redirect_uris": ["http://service.test/callback"],
    "grant_types": ["authorization_code", "refresh_token"],
}


def withdrawn(demo: dict[str, Any], pid: str, orgno: str) -> dict[str, Any]:
    """The demo fixture with the person's connections from `orgno` removed (the role
    that gave them RESOURCE there is gone)."""
    changed = copy.deepcopy(demo)
    changed["connections"] = [
        c for c in changed["connections"] if not (c["from"] == orgno and c["to"] == pid)
    ]
    return changed


def main_unit(demo: dict[str, Any], pid: str) -> str:
    return next(unit.orgno for unit in units(demo, pid) if unit.parent is None)


@pytest.fixture
def register(
    altinn_demo: dict[str, Any], altinn_people: dict[str, str]
) -> Iterator[tuple[Switchable, str, str]]:
    """The mock Altinn before and after the person's main unit lost the resource."""
    pid = altinn_people["main_with_subunits"]
    orgno = main_unit(altinn_demo, pid)
    switch = Switchable(
        before=create_mock_app(altinn_demo),
        after=create_mock_app(withdrawn(altinn_demo, pid, orgno)),
    )
    with serve_in_thread(switch) as url:
        yield switch, url, orgno


def login_and_refresh(
    register: tuple[Switchable, str, str], pid: str, sqlite_url: str, recheck: bool
) -> tuple[dict[str, Any], Any]:
    switch, url, orgno = register
    overrides = {
        "clients": [CLIENT],
        "sources": {"altinn": {"base_url": url}},
        "refresh_rechecks_sources": recheck,
        "rate_limit": False,
    }
    with run_provider(sqlite_url, overrides) as provider:
        driver = LoginDriver(provider.base_url)
        try:
            picker = to_picker(driver, [resource_detail(RESOURCE)], pid)
            code = driver.callback(driver.choose(picker, parties=[orgno]))["code"]
            tokens = driver.redeem(code).json()
            switch.current = "after"
            refreshed = driver.service.post(
                "/token",
                data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
                auth=(CLIENT["client_id"], CLIENT["client_secret"]),
            )
            return tokens, refreshed
        finally:
            driver.close()


def test_withdrawn_right_ends_the_grant_when_rechecking(
    register: tuple[Switchable, str, str], altinn_people: dict[str, str], sqlite_url: str
) -> None:
    tokens, refreshed = login_and_refresh(
        register, altinn_people["main_with_subunits"], sqlite_url, recheck=True
    )
    assert tokens["authorization_details"][0]["authorized_parties"]
    assert refreshed.status_code == 400, refreshed.text
    assert refreshed.json()["error"] == "invalid_grant"


def test_login_answer_is_repeated_without_recheck(
    register: tuple[Switchable, str, str], altinn_people: dict[str, str], sqlite_url: str
) -> None:
    tokens, refreshed = login_and_refresh(
        register, altinn_people["main_with_subunits"], sqlite_url, recheck=False
    )
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["authorization_details"] == tokens["authorization_details"]
