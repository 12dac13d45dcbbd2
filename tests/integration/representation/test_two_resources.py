"""Several objects of one type (spec 5): the picker offers the union of their parties; the
token has one object per resource, listing only the chosen parties that hold it, and
leaves out an object none of them holds. `actions` (spec 4.1): a party is offered only
when it holds one of the requested actions, and carries the ones it holds."""

from __future__ import annotations

import pytest

from tests.support import altinn_oracle as oracle
from tests.support.representation import open_picker, redeem_details, to_picker

ENKELTRETTIGHET = "resource_enkeltrettighet"
RAPPORTERING = "app_ttd_rapportering"
ACTIONS = ("write", "report")


@pytest.fixture
def pid(altinn_people):
    return altinn_people["two_resources"]


@pytest.fixture
def holders(altinn_demo, pid):
    found = {r: oracle.eligible(altinn_demo, pid, r) for r in (ENKELTRETTIGHET, RAPPORTERING)}
    assert found[ENKELTRETTIGHET] - found[RAPPORTERING], "someone should hold only one"
    assert found[ENKELTRETTIGHET] & found[RAPPORTERING], "someone should hold both"
    return found


def details(**first):
    return [
        oracle.resource_detail(ENKELTRETTIGHET, **first),
        oracle.resource_detail(RAPPORTERING),
    ]


def test_picker_offers_the_union(rar_driver, pid, holders):
    page = open_picker(rar_driver, to_picker(rar_driver, details(), pid))

    assert sorted(page.parties) == sorted(holders[ENKELTRETTIGHET] | holders[RAPPORTERING])


def test_one_object_per_resource_with_only_the_parties_holding_it(
    rar_driver, altinn_demo, pid, holders
):
    everyone = sorted(holders[ENKELTRETTIGHET] | holders[RAPPORTERING])
    picker = to_picker(rar_driver, details(allow_multiple_organizations=True), pid)

    tokens = redeem_details(rar_driver, rar_driver.choose(picker, parties=everyone))

    granted = tokens["authorization_details"]
    assert [d["resource"] for d in granted] == [
        oracle.urn(ENKELTRETTIGHET),
        oracle.urn(RAPPORTERING),
    ]
    for detail, resource_id in zip(granted, (ENKELTRETTIGHET, RAPPORTERING), strict=True):
        assert detail["type"] == oracle.RESOURCE_TYPE
        assert detail["resource_name"] == oracle.title(altinn_demo, resource_id)
        assert oracle.orgnos_of(detail) == holders[resource_id]
        assert sorted(detail["authorized_parties"], key=lambda p: p["orgno"]["ID"]) == [
            oracle.party_entry(altinn_demo, pid, orgno, resource_id)
            for orgno in sorted(holders[resource_id])
        ]


def test_an_object_no_chosen_party_holds_is_left_out(rar_driver, pid, holders):
    only_first = sorted(holders[ENKELTRETTIGHET] - holders[RAPPORTERING])[0]
    picker = to_picker(rar_driver, details(), pid)

    tokens = redeem_details(rar_driver, rar_driver.choose(picker, parties=[only_first]))

    [granted] = tokens["authorization_details"]
    assert granted["resource"] == oracle.urn(ENKELTRETTIGHET)
    assert oracle.orgnos_of(granted) == {only_first}


def test_parties_carry_the_requested_actions_they_hold(rar_driver, altinn_demo, pid):
    detail = oracle.resource_detail(
        ENKELTRETTIGHET, actions=",".join(ACTIONS), allow_multiple_organizations=True
    )
    expected = oracle.eligible(altinn_demo, pid, ENKELTRETTIGHET, actions=ACTIONS)
    held = {o: oracle.held_actions(altinn_demo, pid, ENKELTRETTIGHET, o, ACTIONS) for o in expected}
    assert any(actions != set(ACTIONS) for actions in held.values()), "some action is denied"
    picker = to_picker(rar_driver, [detail], pid)
    assert sorted(open_picker(rar_driver, picker).parties) == sorted(expected)

    tokens = redeem_details(rar_driver, rar_driver.choose(picker, parties=sorted(expected)))

    [granted] = tokens["authorization_details"]
    parties = {p["orgno"]["ID"].removeprefix("0192:"): p for p in granted["authorized_parties"]}
    assert set(parties) == expected
    for orgno, party in parties.items():
        assert len(party["actions"]) == len(set(party["actions"]))
        assert set(party["actions"]) == held[orgno]


def test_a_party_holding_none_of_the_requested_actions_is_not_offered(rar_driver, altinn_demo, pid):
    with_actions = oracle.eligible(altinn_demo, pid, RAPPORTERING, actions=ACTIONS)
    without = oracle.eligible(altinn_demo, pid, RAPPORTERING)
    assert with_actions < without, "the fixture should deny every requested action somewhere"
    detail = oracle.resource_detail(RAPPORTERING, actions=",".join(ACTIONS))

    page = open_picker(rar_driver, to_picker(rar_driver, [detail], pid))

    assert sorted(page.parties) == sorted(with_actions)
