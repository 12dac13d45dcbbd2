"""JSON bodies the mock builds from fixture data (registry entries, Altinn 2 answers)."""

from __future__ import annotations

from typing import Any

from authz_sources.altinn.mock_world import Resource, World

SUB_UNIT_FORMS = frozenset({"BEDR", "AAFY"})


def registry_entry(resource: Resource) -> dict[str, Any]:
    """A resource-registry entry with the fields a consumer usually reads."""
    title = {"en": resource.title.en, "nb": resource.title.nb, "nn": resource.title.nn}
    entry: dict[str, Any] = {
        "identifier": resource.identifier,
        "title": title,
        "description": title,
        "resourceType": _resource_type(resource.identifier),
        "status": "Completed",
        "delegable": True,
        "visible": True,
        "hasCompetentAuthority": {
            "organization": "991825827",
            "orgcode": "ttd",
            "name": {"en": "Test Ministry", "nb": "Testdepartementet", "nn": "Testdepartementet"},
        },
    }
    if resource.identifier.startswith("se_"):
        _, code, edition = resource.identifier.split("_", 2)
        entry["resourceReferences"] = [
            {"referenceSource": "Altinn2", "reference": code, "referenceType": "ServiceCode"},
            {
                "referenceSource": "Altinn2",
                "reference": edition,
                "referenceType": "ServiceEditionCode",
            },
        ]
    return entry


def _resource_type(identifier: str) -> str:
    """The registry's resourceType, guessed from the id's conventional prefix."""
    if identifier.startswith("app_"):
        return "AltinnApp"
    if identifier.startswith("se_"):
        return "Altinn2Service"
    return "GenericAccessResource"


def reportee_json(world: World, key: str) -> dict[str, Any]:
    """One Altinn 2 reportee (PascalCase) for a party of the fixture."""
    person = world.persons.get(key)
    if person is not None:
        return {
            "ReporteeId": person.party_id,
            "Name": person.name,
            "Type": "Person",
            "SocialSecurityNumber": person.pid,
        }
    org = world.organizations[key]
    is_business = org.parent is not None or org.unit_type in SUB_UNIT_FORMS
    reportee: dict[str, Any] = {
        "ReporteeId": org.party_id,
        "Name": org.name,
        "Type": "Business" if is_business else "Enterprise",
        "OrganizationNumber": org.orgno,
        "OrganizationForm": org.unit_type,
        "Status": "Inactive" if org.deleted else "Active",
    }
    if org.parent is not None:
        reportee["ParentOrganizationNumber"] = org.parent
    return reportee


def rights_json(actions: tuple[str, ...], code: str, edition: int) -> dict[str, Any]:
    """The rights answer for one reportee and link service."""
    return {
        "Rights": [
            {
                "RightType": "Service",
                "ServiceCode": code,
                "ServiceEditionCode": edition,
                "Action": action,
            }
            for action in actions
        ]
    }
