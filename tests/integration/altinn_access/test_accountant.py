"""The demo accountant: daglig leder of a firm that is regnskapsfører (REGN) for 300
client organisations. Altinn lists each client with the `regnskapsforer-*` packages and
no resources; every one is offered, and the PDP's actions come from the package rule."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from authz_sources.altinn.mock import DEMO_FIXTURE
from tests.support import altinn_oracle as oracle
from tests.support.altinn_stack import AltinnStack, altinn_stack
from tests.support.login_driver import LoginDriver
from tests.support.maskinporten_keys import ClientKeys
from tests.support.representation import open_picker, redeem_details, to_picker

PEOPLE = Path(__file__).resolve().parents[2] / "fixtures" / "altinn_people.json"
APPS_TEST = "app_ttd_apps-test"


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_FIXTURE.read_text("utf-8"))
    return data


@pytest.fixture(scope="module")
def accountant() -> str:
    return str(json.loads(PEOPLE.read_text("utf-8"))["accountant"])


@pytest.fixture(scope="module")
def demo_stack(
    tmp_path_factory: pytest.TempPathFactory, client_keys: ClientKeys
) -> Iterator[AltinnStack]:
    database = tmp_path_factory.mktemp("accountant") / "ansattporten.db"
    with altinn_stack(f"sqlite:///{database}", DEMO_FIXTURE, client_keys) as running:
        yield running


def test_three_hundred_clients_through_packages(
    demo_stack: AltinnStack, demo: dict[str, Any], accountant: str
) -> None:
    driver = LoginDriver(demo_stack.provider.base_url)
    try:
        detail = oracle.resource_detail(
            APPS_TEST, actions="instantiate,delete", allow_multiple_organizations=True
        )
        picker = to_picker(driver, [detail], accountant)
        expected = oracle.eligible(demo, accountant, APPS_TEST, actions=["instantiate", "delete"])
        assert len(expected) > 300  # the firm, 300 clients and the sub-units of some
        found = set(open_picker(driver, picker).parties)
        assert found
        assert found <= expected
        answer = json.loads(demo_stack.recorder.parties_calls()[-1].answer)
        clients = answer[1:]
        assert len(clients) == 300
        assert all(c["authorizedResources"] == [] for c in clients)
        assert all(c["authorizedAccessPackages"] for c in clients)
        assert all(c["authorizedRoles"] == [] for c in clients)

        client = next(iter(sorted(expected - {answer[0]["organizationNumber"]})))
        tokens = redeem_details(driver, driver.choose(picker, parties=[client]))
        [granted] = tokens["authorization_details"]
        [party] = granted["authorized_parties"]
        assert party["orgno"]["ID"] == f"0192:{client}"
        assert party["actions"] == ["instantiate"]  # the package gives no `delete`
    finally:
        driver.close()
