"""The Altinn source against the mock over real HTTP, for every demo person."""

from __future__ import annotations

from typing import Any

import pytest

from authz_sources import NotEligible, Party, Subject
from authz_sources.altinn import AltinnSource
from tests.integration.altinn.altinn_support import Demo

RESOURCE = "ansattporten:altinn:resource"
SERVICE = "ansattporten:altinn:service"
APPS_TEST = "app_ttd_apps-test"


def subject(demo: Demo, role: str, locale: str = "nb") -> Subject:
    return Subject(pid=demo.pid(role), client_id="integration", locale=locale)


def resource(resource_id: str = APPS_TEST, **fields: Any) -> dict[str, Any]:
    return {"type": RESOURCE, "resource": f"urn:altinn:resource:{resource_id}", **fields}


def service(**fields: Any) -> dict[str, Any]:
    return {"type": SERVICE, "resource": "urn:altinn:resource:2480:40", **fields}


async def offer(source: AltinnSource, demo: Demo, role: str, raw: dict[str, Any]) -> list[Party]:
    return await source.find_parties(subject(demo, role), source.parse_detail(raw))


def selectable(parties: list[Party]) -> list[str]:
    return [p.orgno for p in parties if p.selectable]


@pytest.mark.parametrize("raw", [resource(), resource("resource_enkeltrettighet"), service()])
async def test_no_parties(source: AltinnSource, demo: Demo, raw: dict[str, Any]) -> None:
    assert await offer(source, demo, "no_parties", raw) == []
    detail = source.parse_detail(raw)
    assert await source.grant(subject(demo, "no_parties"), detail, []) == {"type": raw["type"]}


@pytest.mark.parametrize("raw", [resource(), service()])
async def test_main_unit_with_sub_units(
    source: AltinnSource, demo: Demo, raw: dict[str, Any]
) -> None:
    parties = await offer(source, demo, "main_with_subunits", raw)
    assert selectable(parties) == demo.holders("main_with_subunits", "se_2480_40")
    assert all(p.selectable for p in parties)
    main, *subs = parties
    assert (main.unit_type, main.parent_orgno) == ("AS", None)
    assert {(s.unit_type, s.parent_orgno) for s in subs} == {("BEDR", main.orgno)}
    assert len(subs) == 3


async def test_enterprise_and_business_filters(source: AltinnSource, demo: Demo) -> None:
    main = demo.holders("main_with_subunits", APPS_TEST, form="enterprise")
    subs = demo.holders("main_with_subunits", APPS_TEST, form="business")
    enterprise = await offer(
        source, demo, "main_with_subunits", resource(organizationform="enterprise")
    )
    assert [(p.orgno, p.selectable) for p in enterprise] == [(main[0], True)]
    business = await offer(
        source, demo, "main_with_subunits", resource(organizationform="business")
    )
    assert [(p.orgno, p.selectable) for p in business] == [(main[0], False)] + [
        (orgno, True) for orgno in subs
    ]
    legacy = await offer(source, demo, "main_with_subunits", service(organizationform="business"))
    assert selectable(legacy) == subs
    legacy_main = await offer(
        source, demo, "main_with_subunits", service(organizationform="enterprise")
    )
    assert selectable(legacy_main) == main


async def test_hierarchy_only_parent_groups_but_is_not_selectable(
    source: AltinnSource, demo: Demo
) -> None:
    parties = await offer(source, demo, "hierarchy_only_parent", resource())
    header, *subs = parties
    assert not header.selectable
    assert header.rights == ()
    assert [s.parent_orgno for s in subs] == [header.orgno] * 2
    assert selectable(parties) == demo.holders("hierarchy_only_parent", APPS_TEST)
    who = subject(demo, "hierarchy_only_parent")
    detail = source.parse_detail(resource())
    assert await source.grant(who, detail, [header]) is None
    granted = await source.grant(who, detail, [header, subs[0]])
    assert granted is not None
    assert [p["orgno"]["ID"] for p in granted["authorized_parties"]] == [f"0192:{subs[0].orgno}"]


@pytest.mark.parametrize("raw", [resource(), service()])
async def test_deleted_organisations_only_when_allowed(
    source: AltinnSource, demo: Demo, raw: dict[str, Any]
) -> None:
    hidden = await offer(source, demo, "with_deleted", raw)
    assert selectable(hidden) == demo.holders("with_deleted", APPS_TEST)
    assert not any(p.is_deleted for p in hidden)
    shown = await offer(
        source, demo, "with_deleted", {**raw, "allow_deleted_organizations": "true"}
    )
    assert sorted(selectable(shown)) == sorted(
        demo.holders("with_deleted", APPS_TEST, deleted=True)
    )
    assert sum(p.is_deleted for p in shown) == 2


async def test_accountant_with_three_hundred_clients(source: AltinnSource, demo: Demo) -> None:
    parties = await offer(source, demo, "accountant", resource())
    expected = demo.holders("accountant", APPS_TEST)
    assert selectable(parties) == expected
    assert len(expected) > 300
    assert {p.unit_type for p in parties} == {"AS", "ENK", "NUF", "BEDR"}
    legacy = await offer(source, demo, "accountant", service())
    assert selectable(legacy) == demo.holders("accountant", "se_2480_40")
    last = parties[-1]
    granted = await source.grant(
        subject(demo, "accountant"), source.parse_detail(resource()), [last]
    )
    assert granted is not None
    assert granted["authorized_parties"][0]["orgno"]["ID"] == f"0192:{last.orgno}"


async def test_actions_are_the_requested_ones_held(source: AltinnSource, demo: Demo) -> None:
    raw = resource("resource_enkeltrettighet", actions="write,report")
    parties = await offer(source, demo, "two_resources", raw)
    holders = demo.holders("two_resources", "resource_enkeltrettighet")
    assert selectable(parties) == holders
    for party in parties:
        held = demo.allowed_actions("two_resources", "resource_enkeltrettighet", party.orgno) & {
            "write",
            "report",
        }
        assert set(party.rights[1:]) == held
        assert party.rights[0] == "resource_enkeltrettighet"
    denied_some = [p for p in parties if len(p.rights) == 2]
    assert denied_some, "the demo should deny some requested action somewhere"


async def test_a_party_holding_none_of_the_actions_is_not_eligible(
    source: AltinnSource, demo: Demo
) -> None:
    holders = demo.holders("two_resources", "resource_enkeltrettighet")
    without_write = [
        o
        for o in holders
        if "write" not in demo.allowed_actions("two_resources", "resource_enkeltrettighet", o)
    ]
    assert without_write
    raw = resource("resource_enkeltrettighet", actions=["write"])
    parties = await offer(source, demo, "two_resources", raw)
    assert set(selectable(parties)) == set(holders) - set(without_write)
    chosen = Party(orgno=without_write[0], name="X")
    assert (
        await source.grant(subject(demo, "two_resources"), source.parse_detail(raw), [chosen])
        is None
    )


async def test_token_object_for_two_parties(source: AltinnSource, demo: Demo) -> None:
    raw = resource(
        "resource_enkeltrettighet",
        actions="write,report",
        allow_multiple_organizations="true",
        representation_is_required=True,
    )
    who = subject(demo, "two_resources")
    detail = source.parse_detail(raw)
    parties = await source.find_parties(who, detail)
    granted = await source.grant(who, detail, parties[:2])
    orgs = {org.orgno: org for org in demo.orgs("two_resources")}
    assert granted == {
        "type": RESOURCE,
        "resource": "urn:altinn:resource:resource_enkeltrettighet",
        "resource_name": "Ressurs for enkeltrettigheter testing",
        "authorized_parties": [
            {
                "orgno": {"authority": "iso6523-actorid-upis", "ID": f"0192:{party.orgno}"},
                "resource": "resource_enkeltrettighet",
                "actions": [
                    a
                    for a in ("write", "report")
                    if a
                    in demo.allowed_actions(
                        "two_resources", "resource_enkeltrettighet", party.orgno
                    )
                ],
                "name": orgs[party.orgno].name,
                "unit_type": orgs[party.orgno].unit_type,
            }
            for party in parties[:2]
        ],
    }


async def test_without_actions_the_token_has_no_actions(source: AltinnSource, demo: Demo) -> None:
    who = subject(demo, "main_with_subunits")
    detail = source.parse_detail(resource())
    parties = await source.find_parties(who, detail)
    granted = await source.grant(who, detail, parties[:1])
    assert granted is not None
    (entry,) = granted["authorized_parties"]
    assert set(entry) == {"orgno", "resource", "name", "unit_type"}
    assert granted["resource_name"] == "Testapplikasjon for apps"


async def test_two_resources_are_granted_separately(source: AltinnSource, demo: Demo) -> None:
    who = subject(demo, "two_resources")
    single = source.parse_detail(resource("resource_enkeltrettighet"))
    reporting = source.parse_detail(resource("app_ttd_rapportering"))
    single_orgs = set(selectable(await source.find_parties(who, single)))
    reporting_orgs = set(selectable(await source.find_parties(who, reporting)))
    assert single_orgs == set(demo.holders("two_resources", "resource_enkeltrettighet"))
    assert reporting_orgs == set(demo.holders("two_resources", "app_ttd_rapportering"))
    only_single = sorted(single_orgs - reporting_orgs)[0]
    chosen = [Party(orgno=only_single, name="FROM THE PICKER")]
    assert await source.grant(who, reporting, chosen) is None
    granted = await source.grant(who, single, chosen)
    assert granted is not None
    assert granted["authorized_parties"][0]["name"] != "FROM THE PICKER"


async def test_persons_are_never_offered(source: AltinnSource, demo: Demo) -> None:
    for raw in (resource("resource_enkeltrettighet"), resource("app_ttd_rapportering"), service()):
        parties = await offer(source, demo, "two_resources", raw)
        known = {org.orgno for org in demo.orgs("two_resources")}
        assert {p.orgno for p in parties} <= known


async def test_tampered_choices_are_refused(source: AltinnSource, demo: Demo) -> None:
    who = subject(demo, "main_with_subunits")
    detail = source.parse_detail(resource())
    genuine = (await source.find_parties(who, detail))[0]
    stranger = Party(orgno="999999999", name="NOT OFFERED")
    with pytest.raises(NotEligible, match="999999999"):
        await source.grant(who, detail, [stranger])
    with pytest.raises(NotEligible):
        await source.grant(who, detail, [genuine, stranger])
    other = demo.holders("accountant", APPS_TEST)[5]
    with pytest.raises(NotEligible):
        await source.grant(who, detail, [Party(orgno=other, name="SOMEONE ELSE'S CLIENT")])
    legacy = source.parse_detail(service())
    assert await source.grant(who, legacy, [stranger]) is None
    only_genuine = await source.grant(who, legacy, [genuine, stranger])
    assert only_genuine is not None
    assert [r["ID"] for r in only_genuine["reportees"]] == [f"0192:{genuine.orgno}"]


async def test_service_token_object(source: AltinnSource, demo: Demo) -> None:
    who = subject(demo, "main_with_subunits")
    detail = source.parse_detail(service(allow_multiple_organizations=True))
    parties = await source.find_parties(who, detail)
    granted = await source.grant(who, detail, parties[:2])
    assert granted == {
        "type": SERVICE,
        "resource": "urn:altinn:resource:2480:40",
        "resource_name": "Produkter og tjenester fra Brønnøysundregistrene",
        "reportees": [
            {
                "Rights": ["Read", "ArchiveDelete", "ArchiveRead"],
                "Authority": "iso6523-actorid-upis",
                "ID": f"0192:{party.orgno}",
                "Name": party.name,
            }
            for party in parties[:2]
        ],
    }


@pytest.mark.parametrize(
    ("locale", "title"),
    [
        ("nb", "Ressurs for enkeltrettigheter testing"),
        ("nn", "Ressurs for enkeltrettar testing"),
        ("en", "Resource for testing single rights"),
        ("se", "Ressurs for enkeltrettigheter testing"),
    ],
)
async def test_resource_name_follows_the_locale(
    source: AltinnSource, demo: Demo, locale: str, title: str
) -> None:
    who = subject(demo, "main_with_subunits", locale)
    detail = source.parse_detail(resource("resource_enkeltrettighet"))
    parties = await source.find_parties(who, detail)
    granted = await source.grant(who, detail, parties[:1])
    assert granted is not None
    assert granted["resource_name"] == title
