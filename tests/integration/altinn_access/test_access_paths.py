"""A person is offered an organisation when Altinn says they hold the resource there
directly, through a role or through an access package; the actions in the token are the
requested ones the PDP grants by that path. Fixture: tests/fixtures/altinn_paths.json
(built for this: one person per path)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.support.altinn_paths import (
    ACCOUNTANT,
    DELETED,
    DIRECT,
    INSTANCE,
    NONE,
    PACKAGE,
    RESOURCE,
    ROLE,
    SUB_ROLE,
)
from tests.support.altinn_stack import AltinnStack
from tests.support.login_driver import LoginDriver
from tests.support.representation import (
    assert_refused,
    open_picker,
    redeem_details,
    to_picker,
)

URN = f"urn:altinn:resource:{RESOURCE}"


def detail(**fields: Any) -> dict[str, Any]:
    return {"type": "ansattporten:altinn:resource", "resource": URN, **fields}


def granted_parties(tokens: dict[str, Any]) -> dict[str, dict[str, Any]]:
    [granted] = tokens["authorization_details"]
    assert granted["resource"] == URN
    return {p["orgno"]["ID"].removeprefix("0192:"): p for p in granted["authorized_parties"]}


@pytest.mark.parametrize(
    ("pid", "offered"),
    [
        (ROLE, ["310000019", "310000027"]),  # MEDL on the AS, inherited by its sub-unit
        (PACKAGE, ["310000035"]),  # the package `lonn`, delegated alone
        (DIRECT, ["310000043"]),  # the resource itself, delegated directly
        (ACCOUNTANT, ["310000116", "310000124"]),  # own firm (DAGL) + client via key role
    ],
)
def test_eligible_through_one_path(driver: LoginDriver, pid: str, offered: list[str]) -> None:
    page = open_picker(driver, to_picker(driver, [detail()], pid))
    assert sorted(page.parties) == offered


@pytest.mark.parametrize("pid", [NONE, INSTANCE])
def test_no_path_to_the_resource_means_no_organisation(driver: LoginDriver, pid: str) -> None:
    """NONE holds a role and a package that give other things; INSTANCE holds one
    instance of the resource only. Neither gets a picker: back to the service as
    themself."""
    response = driver.login(driver.start([detail()]), pid)
    location = response.headers["location"]
    if "/organisation/" in location:  # the picker step decides without showing a page
        response = driver.browser.get(location)
    tokens = redeem_details(driver, response)
    assert tokens["authorization_details"] == [{"type": "ansattporten:altinn:resource"}]


@pytest.mark.parametrize(
    ("pid", "orgnos", "actions"),
    [
        (ROLE, ["310000019", "310000027"], ["read", "sign"]),
        (PACKAGE, ["310000035"], ["read", "write"]),
        (DIRECT, ["310000043"], ["read"]),
        (ACCOUNTANT, ["310000124"], ["read", "write", "sign"]),
    ],
)
def test_actions_through_each_path(
    driver: LoginDriver, pid: str, orgnos: list[str], actions: list[str]
) -> None:
    asked = detail(actions="read,write,sign,delete", allow_multiple_organizations=True)
    picker = to_picker(driver, [asked], pid)
    tokens = redeem_details(driver, driver.choose(picker, parties=orgnos))
    parties = granted_parties(tokens)
    assert sorted(parties) == orgnos
    for party in parties.values():
        assert party["actions"] == actions  # in the order requested, as the spec shows
        assert party["resource"] == RESOURCE


def test_a_role_on_a_sub_unit_only(driver: LoginDriver) -> None:
    """The role is held on one sub-unit: the main unit is a heading that cannot be
    chosen, and its other sub-unit is not shown at all."""
    picker = to_picker(driver, [detail()], SUB_ROLE)
    page = open_picker(driver, picker)
    assert page.parties == ["310000086"]
    assert "310000078" in page.listed
    assert "310000094" not in page.listed
    assert_refused(driver.choose(picker, parties=["310000078"]), 403)


def test_the_choice_is_refused_when_the_package_was_removed_meanwhile(
    stack: AltinnStack, driver: LoginDriver, paths_fixture: dict[str, Any]
) -> None:
    picker = to_picker(driver, [detail()], PACKAGE)
    assert open_picker(driver, picker).parties == ["310000035"]
    withdrawn = copy.deepcopy(paths_fixture)
    withdrawn["connections"] = [
        c for c in withdrawn["connections"] if not (c["to"] == PACKAGE and c.get("packages"))
    ]
    stack.replace_fixture(withdrawn)
    try:
        response = driver.choose(picker, parties=["310000035"])
        assert_refused(response, 403)
    finally:
        stack.replace_fixture(paths_fixture)
    again = LoginDriver(driver.base_url)
    try:  # with the package back, the same person gets in again
        tokens = redeem_details(
            again, again.choose(to_picker(again, [detail()], PACKAGE), parties=["310000035"])
        )
        assert list(granted_parties(tokens)) == ["310000035"]
    finally:
        again.close()


def test_deleted_organisations_reached_by_a_package(driver: LoginDriver) -> None:
    page = open_picker(driver, to_picker(driver, [detail()], DELETED))
    assert page.parties == ["310000035"]
    with_deleted = LoginDriver(driver.base_url)
    try:
        picker = to_picker(with_deleted, [detail(allow_deleted_organizations=True)], DELETED)
        assert sorted(open_picker(with_deleted, picker).parties) == ["310000035", "310000132"]
    finally:
        with_deleted.close()
