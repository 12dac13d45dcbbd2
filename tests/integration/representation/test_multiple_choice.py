"""`allow_multiple_organizations`: several organisations may be chosen only when the
request allows it (spec 4 and 5)."""

from __future__ import annotations

import pytest

from tests.support import altinn_oracle as oracle
from tests.support.representation import (
    assert_refused,
    csrf_of,
    open_picker,
    post_choice,
    redeem_details,
    to_picker,
)

RESOURCE = "app_ttd_apps-test"


@pytest.fixture
def person(altinn_people, altinn_demo):
    pid = altinn_people["main_with_subunits"]
    two = sorted(oracle.eligible(altinn_demo, pid, RESOURCE))[:2]
    assert len(two) == 2
    return pid, two


def test_two_organisations_chosen_are_both_granted(rar_driver, altinn_demo, person):
    pid, two = person
    detail = oracle.resource_detail(RESOURCE, allow_multiple_organizations=True)
    picker = to_picker(rar_driver, [detail], pid)
    assert open_picker(rar_driver, picker).party_input_types == {"checkbox"}

    tokens = redeem_details(rar_driver, rar_driver.choose(picker, parties=two))

    [granted] = tokens["authorization_details"]
    assert oracle.orgnos_of(granted) == set(two)
    assert sorted(granted["authorized_parties"], key=lambda p: p["orgno"]["ID"]) == [
        oracle.party_entry(altinn_demo, pid, orgno, RESOURCE) for orgno in two
    ]


def test_two_organisations_are_refused_when_one_is_allowed(rar_driver, person):
    pid, two = person
    picker = to_picker(rar_driver, [oracle.resource_detail(RESOURCE)], pid)
    assert open_picker(rar_driver, picker).party_input_types == {"radio"}

    response = post_choice(rar_driver, picker, two, csrf=csrf_of(rar_driver, picker))

    assert_refused(response, 403)
