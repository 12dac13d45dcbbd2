"""The mock Altinn resolves access as Altinn does: roles, packages, direct and instance
delegations, inheritance to sub-units, key roles, and the `anyOfResourceIds` filter
that trims what is listed. Fixture: tests/fixtures/altinn_paths.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

from authz_sources.altinn.mock_access import permitted
from authz_sources.altinn.mock_fixture import FixtureError, World, load_fixture
from authz_sources.altinn.mock_parties import Query, authorized_parties
from authz_sources.altinn.mock_query import BindingError, parse_query
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

FIXTURE = Path(__file__).parents[2] / "fixtures" / "altinn_paths.json"
ALL = Query(include_access_packages=True)
FILTERED = Query(include_access_packages=True, any_of_resource_ids=(RESOURCE,))


@pytest.fixture(scope="module")
def world() -> World:
    return load_fixture(FIXTURE)


def answer(world: World, pid: str, query: Query) -> list[dict[str, Any]]:
    parties = msgspec.to_builtins(authorized_parties(world, pid, query))
    assert isinstance(parties, list)
    return parties


def flat(parties: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found = {}
    for party in parties:
        found[party["organizationNumber"] or party["personId"]] = party
        for sub in party["subunits"]:
            found[sub["organizationNumber"]] = sub
    return found


def test_a_role_reaches_the_resource_and_the_sub_units(world: World) -> None:
    (main,) = answer(world, ROLE, FILTERED)
    assert main["organizationNumber"] == "310000019"
    assert main["authorizedRoles"] == ["medl", "styremedlem"]
    assert main["authorizedResources"] == []
    assert main["authorizedAccessPackages"] == []
    (sub,) = main["subunits"]
    assert sub["authorizedRoles"] == ["medl", "styremedlem"]
    assert sub["parentId"] is None
    assert permitted(world, ROLE, "310000027", RESOURCE) == {"read", "sign"}


def test_a_package_is_listed_and_resources_stay_empty(world: World) -> None:
    (party,) = answer(world, PACKAGE, FILTERED)
    assert party["authorizedAccessPackages"] == ["lonn"]
    assert party["authorizedResources"] == []
    assert permitted(world, PACKAGE, "310000035", RESOURCE) == {"read", "write"}


def test_a_direct_delegation_with_its_actions(world: World) -> None:
    (party,) = answer(world, DIRECT, FILTERED)
    assert party["authorizedResources"] == [RESOURCE]
    assert permitted(world, DIRECT, "310000043", RESOURCE) == {"read"}


def test_no_path_means_no_party_under_the_filter(world: World) -> None:
    (unfiltered,) = answer(world, NONE, ALL)
    assert unfiltered["authorizedAccessPackages"] == ["jordbruk"]
    assert answer(world, NONE, FILTERED) == []
    assert permitted(world, NONE, "310000051", RESOURCE) == set()


def test_a_role_on_a_sub_unit_only_makes_the_main_unit_a_heading(world: World) -> None:
    (main,) = answer(world, SUB_ROLE, FILTERED)
    assert main["organizationNumber"] == "310000078"
    assert main["onlyHierarchyElementWithNoAccess"] is True
    assert (main["authorizedRoles"], main["authorizedResources"]) == ([], [])
    assert [sub["organizationNumber"] for sub in main["subunits"]] == ["310000086"]
    assert permitted(world, SUB_ROLE, "310000078", RESOURCE) == set()


def test_an_instance_delegation_lists_only_the_instance(world: World) -> None:
    (party,) = answer(world, INSTANCE, FILTERED)
    assert party["authorizedInstances"][0]["resourceId"] == RESOURCE
    assert (party["authorizedRoles"], party["authorizedResources"]) == ([], [])
    assert party["authorizedAccessPackages"] == []
    assert permitted(world, INSTANCE, "310000108", RESOURCE) == set()


def test_key_role_reaches_the_firms_clients(world: World) -> None:
    parties = flat(answer(world, ACCOUNTANT, FILTERED))
    assert set(parties) == {"310000116", "310000124"}
    client = parties["310000124"]
    assert client["authorizedAccessPackages"] == ["regnskapsforer-med-signeringsrettighet"]
    assert client["authorizedRoles"] == []  # REGN itself is not in the resource's policy
    assert permitted(world, ACCOUNTANT, "310000124", RESOURCE) == {"read", "write", "sign"}
    own = parties["310000116"]
    assert own["authorizedAccessPackages"] == ["lonn"]  # one of daglig leder's packages
    without = flat(answer(world, ACCOUNTANT, Query(via_key_roles=False)))
    assert set(without) == {"310000116"}


def test_include_flags_shape_lists_not_parties(world: World) -> None:
    bare = Query(
        include_roles=False,
        include_access_packages=False,
        include_resources=False,
        include_instances=False,
        any_of_resource_ids=(RESOURCE,),
    )
    (party,) = answer(world, ROLE, bare)
    assert party["organizationNumber"] == "310000019"
    assert party["authorizedRoles"] == []
    unfiltered = flat(answer(world, ACCOUNTANT, ALL))
    assert len(unfiltered["310000116"]["authorizedAccessPackages"]) > 10
    assert unfiltered["310000116"]["authorizedRoles"] == ["dagl", "daglig-leder"]


def test_unknown_resource_ids_are_ignored_and_none_known_means_nothing(world: World) -> None:
    both = Query(any_of_resource_ids=("no_such_resource", RESOURCE))
    assert len(answer(world, PACKAGE, both)) == 1
    assert answer(world, PACKAGE, Query(any_of_resource_ids=("no_such_resource",))) == []
    assert answer(world, PACKAGE, Query(any_of_resource_ids=("APP_TTD_PATHS",))) != []


def test_inactive_parties_can_be_left_out(world: World) -> None:
    assert set(flat(answer(world, DELETED, FILTERED))) == {"310000132", "310000035"}
    active = Query(any_of_resource_ids=(RESOURCE,), include_inactive=False)
    assert set(flat(answer(world, DELETED, active))) == {"310000035"}


def test_query_binding_follows_aspnet() -> None:
    query = parse_query(
        b"ANYOFRESOURCEIDS=a&anyOfResourceIds=b,c&includeroles=FALSE"
        b"&includeAccessPackages=true&includePartiesViaKeyRoles=auto&includeAltinn2=whatever"
    )
    assert query.any_of_resource_ids == ("a", "b,c")
    assert (query.include_roles, query.include_access_packages) == (False, True)
    assert query.via_key_roles is True
    with pytest.raises(BindingError) as bad:
        parse_query(b"includeRoles=yes&includeInactiveParties=maybe")
    assert set(bad.value.errors) == {"includeRoles", "includeInactiveParties"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"connections": [{"from": "399999999", "to": "01827010045"}]}, "no listed party"),
        ({"connections": [{"from": "310000019", "to": "x"}]}, "nor a person's number"),
        (
            {"connections": [{"from": "310000019", "to": "01827010045", "role": "ZZZ"}]},
            "unknown role",
        ),
        (
            {"connections": [{"from": "310000019", "to": "01827010045", "resources": ["nope"]}]},
            "'nope' is not registered",
        ),
    ],
)
def test_broken_references_are_refused(change: dict[str, Any], message: str) -> None:
    raw = msgspec.json.decode(FIXTURE.read_bytes())
    raw.update(change)
    with pytest.raises(FixtureError, match=message):
        load_fixture(raw)
