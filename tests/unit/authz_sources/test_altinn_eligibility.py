"""The picker rules applied to Altinn's answer, on in-memory data (no HTTP)."""

from __future__ import annotations

from typing import Any

from authz_sources.altinn.eligibility import arrange, holders, reportee_parties
from authz_sources.altinn.resource_detail import parse_resource_detail
from authz_sources.altinn.wire import AuthorizedInstance, AuthorizedParty, Reportee
from authz_sources.types import RequestedDetail

RES = "app_ttd_apps-test"


def org(
    orgno: str,
    unit_type: str = "AS",
    *,
    resources: tuple[str, ...] = (RES,),
    packages: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
    instances: tuple[str, ...] = (),
    subunits: tuple[AuthorizedParty, ...] = (),
    hierarchy_only: bool = False,
    deleted: bool = False,
) -> AuthorizedParty:
    return AuthorizedParty(
        party_uuid=f"uuid-{orgno}",
        party_id=int(orgno),
        name=f"ORG {orgno}",
        type="Organization",
        organization_number=orgno,
        unit_type=unit_type,
        is_deleted=deleted,
        only_hierarchy_element_with_no_access=hierarchy_only,
        authorized_resources=list(resources),
        authorized_access_packages=list(packages),
        authorized_roles=list(roles),
        authorized_instances=[
            AuthorizedInstance(resource_id=RES, instance_id=instance) for instance in instances
        ],
        subunits=list(subunits),
    )


def person(resources: tuple[str, ...] = (RES,)) -> AuthorizedParty:
    return AuthorizedParty(
        party_uuid="uuid-person",
        party_id=1,
        name="SOME PERSON",
        type="Person",
        person_id="01010012345",
        authorized_resources=list(resources),
    )


def req(**fields: Any) -> RequestedDetail:
    raw = {"type": "ansattporten:altinn:resource", "resource": f"urn:altinn:resource:{RES}"}
    return parse_resource_detail({**raw, **fields})


def offered(parties: list[AuthorizedParty], **fields: Any) -> list[tuple[str, bool]]:
    eligible = {orgno: () for orgno in holders(parties, req(**fields))}
    return [(p.orgno, p.selectable) for p in arrange(parties, eligible, RES)]


def test_main_unit_and_sub_units_holding_the_resource() -> None:
    parties = [org("100000001", subunits=(org("100000002", "BEDR"), org("100000003", "BEDR")))]
    assert offered(parties) == [("100000001", True), ("100000002", True), ("100000003", True)]
    result = arrange(parties, dict.fromkeys(holders(parties, req()), ()), RES)
    assert result[1].parent_orgno == "100000001"
    assert result[0].parent_orgno is None
    assert result[1].rights == (RES,)


def test_hierarchy_only_parent_is_a_header_only_when_a_sub_unit_is_eligible() -> None:
    with_sub = org("100000001", hierarchy_only=True, subunits=(org("100000002", "BEDR"),))
    without = org(
        "100000011",
        hierarchy_only=True,
        subunits=(org("100000012", "BEDR", resources=()),),
    )
    assert offered([with_sub, without]) == [("100000001", False), ("100000002", True)]


def test_hierarchy_only_flag_wins_over_listed_resources() -> None:
    parent = org("100000001", hierarchy_only=True, resources=(RES,))
    assert offered([parent]) == []


def test_a_package_or_a_role_is_as_good_as_a_listed_resource() -> None:
    """Altinn lists what reaches the asked resource; roles and packages do not appear
    in `authorizedResources` (Altinn's guide shows `"authorizedResources": []`)."""
    parties = [
        org("100000001", resources=(), packages=("regnskapsforer-lonn",)),
        org("100000011", resources=(), roles=("daglig-leder", "dagl")),
    ]
    assert offered(parties) == [("100000001", True), ("100000011", True)]


def test_single_instances_or_nothing_are_not_enough() -> None:
    parties = [
        org("100000001", resources=(), instances=("50000001/0b5c1d62",)),
        org("100000011", resources=()),
    ]
    assert offered(parties) == []


def test_enterprise_keeps_main_units_only() -> None:
    parties = [org("100000001", subunits=(org("100000002", "BEDR"),))]
    assert offered(parties, organizationform="enterprise") == [("100000001", True)]


def test_business_keeps_sub_units_under_a_header() -> None:
    parties = [
        org("100000001", subunits=(org("100000002", "BEDR"),)),
        org("100000021", "ENK"),
    ]
    assert offered(parties, organizationform="business") == [
        ("100000001", False),
        ("100000002", True),
    ]


def test_top_level_bedr_counts_as_a_sub_unit() -> None:
    assert offered([org("100000001", "BEDR")], organizationform="business") == [("100000001", True)]
    assert offered([org("100000001", "BEDR")], organizationform="enterprise") == []


def test_deleted_organisations_only_when_allowed() -> None:
    parties = [
        org("100000001", deleted=True),
        org("100000011", subunits=(org("100000012", "BEDR", deleted=True),)),
    ]
    assert offered(parties) == [("100000011", True)]
    assert offered(parties, allow_deleted_organizations="true") == [
        ("100000001", True),
        ("100000011", True),
        ("100000012", True),
    ]


def test_deleted_parent_of_eligible_sub_unit_is_a_header() -> None:
    parties = [org("100000001", deleted=True, subunits=(org("100000002", "BEDR"),))]
    eligible = dict.fromkeys(holders(parties, req()), ())
    header, sub = arrange(parties, eligible, RES)
    assert (header.selectable, header.is_deleted, sub.selectable) == (False, True, True)


def test_persons_are_never_offered() -> None:
    assert offered([person(), org("100000001")]) == [("100000001", True)]


def test_rights_carry_the_held_actions() -> None:
    parties = [org("100000001"), org("100000011")]
    result = arrange(parties, {"100000001": ("read", "write")}, RES)
    assert [(p.orgno, p.rights) for p in result] == [("100000001", (RES, "read", "write"))]


def test_duplicate_orgnos_are_listed_once() -> None:
    parties = [org("100000001"), org("100000001")]
    assert offered(parties) == [("100000001", True)]


def reportee(orgno: str | None, kind: str = "Enterprise", **extra: Any) -> Reportee:
    return Reportee(name=f"R {orgno}", type=kind, organization_number=orgno, **extra)


def test_reportees_become_parties() -> None:
    reportees = [
        reportee("100000001", organization_form="AS", status="Active"),
        reportee(
            "100000002",
            "Business",
            organization_form="BEDR",
            parent_organization_number="100000001",
        ),
        reportee(None, "Person", social_security_number="01010012345"),
        reportee("100000003", status="Inactive"),
    ]
    parties = reportee_parties(reportees, req(), "2480:40")
    assert [(p.orgno, p.unit_type, p.parent_orgno) for p in parties] == [
        ("100000001", "AS", None),
        ("100000002", "BEDR", "100000001"),
    ]
    assert parties[0].rights == ("2480:40",)
    allowing = reportee_parties(reportees, req(allow_deleted_organizations=True), "2480:40")
    assert [p.orgno for p in allowing if p.is_deleted] == ["100000003"]
    enterprise = reportee_parties(reportees, req(organizationform="enterprise"), "2480:40")
    assert [p.orgno for p in enterprise] == ["100000001"]
    business = reportee_parties(reportees, req(organizationform="business"), "2480:40")
    assert [p.orgno for p in business] == ["100000002"]
