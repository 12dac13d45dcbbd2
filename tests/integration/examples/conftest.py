"""The example services running end to end over real HTTP (see
tests/support/example_stack.py), and a cookie-keeping "browser" to drive them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.example_stack import AgencyStack, ExampleStack, run_agency_example, run_examples
from tests.support.service_browser import ServiceBrowser

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="session")
def altinn_people() -> dict[str, str]:
    people = json.loads((FIXTURES / "altinn_people.json").read_text())
    return {role: pid for role, pid in people.items() if not role.startswith("_")}


@pytest.fixture(scope="session")
def hpr_people() -> dict[str, str]:
    people = json.loads((FIXTURES / "hpr_people.json").read_text())
    return {role: person["pid"] for role, person in people.items()}


@pytest.fixture(scope="package")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExampleStack]:
    database = tmp_path_factory.mktemp("examples") / "ansattporten.db"
    with run_examples(f"sqlite:///{database}") as stack:
        yield stack


@pytest.fixture(scope="package")
def agency(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgencyStack]:
    database = tmp_path_factory.mktemp("agency") / "ansattporten.db"
    with run_agency_example(f"sqlite:///{database}") as stack:
        yield stack


@pytest.fixture
def browser() -> Iterator[ServiceBrowser]:
    driving = ServiceBrowser()
    yield driving
    driving.close()
