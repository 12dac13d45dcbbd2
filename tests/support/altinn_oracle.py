"""What the organisation picker should offer, worked out from the mock Altinn's fixture
file alone (spec 5 and 8.3), so the tests do not ask the code under test for the answer.

Deliberately written from the specification, not from `authz_sources.altinn.eligibility`:
if the two ever disagree, a representation test fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

RESOURCE_TYPE = "ansattporten:altinn:resource"
SERVICE_TYPE = "ansattporten:altinn:service"
RESOURCE_PREFIX = "urn:altinn:resource:"
SUB_UNIT_FORMS = frozenset({"BEDR", "AAFY"})
"""Brønnøysund forms that are sub-units (spec 5: `business` = BEDR/AAFY)."""

Demo = Mapping[str, Any]


@dataclass(frozen=True)
class Unit:
    """One organisation in a person's authorized-parties answer."""

    orgno: str
    name: str
    unit_type: str
    parent: str | None
    deleted: bool
    hierarchy_only: bool
    resources: frozenset[str]

    @property
    def is_sub_unit(self) -> bool:
        return self.parent is not None or self.unit_type in SUB_UNIT_FORMS


def urn(resource_id: str) -> str:
    return RESOURCE_PREFIX + resource_id


def resource_detail(resource_id: str, **fields: Any) -> dict[str, Any]:
    """One `ansattporten:altinn:resource` request object."""
    return {"type": RESOURCE_TYPE, "resource": urn(resource_id), **fields}


def _unit(raw: Mapping[str, Any], parent: str | None) -> Unit:
    return Unit(
        orgno=str(raw["organizationNumber"]),
        name=str(raw["name"]),
        unit_type=str(raw.get("unitType") or ""),
        parent=parent,
        deleted=bool(raw.get("isDeleted")),
        hierarchy_only=bool(raw.get("onlyHierarchyElementWithNoAccess")),
        resources=frozenset(raw.get("authorizedResources") or ()),
    )


def units(demo: Demo, pid: str) -> Iterator[Unit]:
    """Every organisation (main units, then their sub-units) of a person; persons and
    other party kinds are skipped, as they are never offered."""
    for main in demo["authorized_parties"].get(pid, []):
        if main.get("type") != "Organization":
            continue
        yield _unit(main, None)
        for sub in main.get("subunits") or []:
            if sub.get("type") == "Organization":
                yield _unit(sub, str(main["organizationNumber"]))


def person_parties(demo: Demo, pid: str) -> list[Mapping[str, Any]]:
    """The person's parties that are people, not organisations."""
    return [p for p in demo["authorized_parties"].get(pid, []) if p.get("type") == "Person"]


def resource(demo: Demo, resource_id: str) -> Mapping[str, Any]:
    for entry in demo["resources"]:
        if entry["identifier"] == resource_id:
            return dict(entry)
    raise KeyError(f"the demo fixture has no resource {resource_id!r}")


def title(demo: Demo, resource_id: str, locale: str = "nb") -> str:
    return str(resource(demo, resource_id)["title"][locale])


def held_actions(demo: Demo, resource_id: str, orgno: str, requested: Iterable[str]) -> set[str]:
    """The requested actions the PDP permits for a party holding the resource."""
    entry = resource(demo, resource_id)
    denied = set(entry.get("denied_actions", {}).get(orgno, []))
    return {a for a in requested if a in entry.get("actions", []) and a not in denied}


def eligible(
    demo: Demo,
    pid: str,
    resource_id: str,
    *,
    organizationform: str | None = None,
    allow_deleted: bool = False,
    actions: Iterable[str] = (),
) -> set[str]:
    """Orgnos the person may choose for one resource under the request's filters."""
    wanted = list(actions)
    found: set[str] = set()
    for unit in units(demo, pid):
        if unit.hierarchy_only or resource_id not in unit.resources:
            continue
        if organizationform == "enterprise" and unit.is_sub_unit:
            continue
        if organizationform == "business" and not unit.is_sub_unit:
            continue
        if unit.deleted and not allow_deleted:
            continue
        if wanted and not held_actions(demo, resource_id, unit.orgno, wanted):
            continue
        found.add(unit.orgno)
    return found


def headers(demo: Demo, pid: str, offered: set[str]) -> set[str]:
    """Main units listed only to group offered sub-units (shown, never selectable)."""
    found: set[str] = set()
    for unit in units(demo, pid):
        if unit.orgno in offered and unit.parent is not None and unit.parent not in offered:
            found.add(unit.parent)
    return found


def unit_of(demo: Demo, pid: str, orgno: str) -> Unit:
    for unit in units(demo, pid):
        if unit.orgno == orgno:
            return unit
    raise KeyError(orgno)


def all_orgnos(demo: Demo) -> set[str]:
    return {unit.orgno for pid in demo["authorized_parties"] for unit in units(demo, pid)}


def foreign_orgno(demo: Demo, pid: str) -> str:
    """An organisation another person of the fixture may act for, but this one may not."""
    own = {unit.orgno for unit in units(demo, pid)}
    for other in sorted(demo["authorized_parties"]):
        for unit in units(demo, other):
            if unit.orgno not in own and not unit.hierarchy_only:
                return unit.orgno
    raise LookupError("the fixture has no organisation outside this person's list")


def unknown_orgno(demo: Demo) -> str:
    """A valid-looking 9-digit number that is nobody's organisation in the fixture."""
    known = all_orgnos(demo)
    for candidate in range(987_654_321, 900_000_000, -7):
        if str(candidate) not in known:
            return str(candidate)
    raise LookupError("no free organisation number")


def party_entry(demo: Demo, pid: str, orgno: str, resource_id: str) -> dict[str, Any]:
    """The `authorized_parties` entry spec 4.1 describes, without `actions`."""
    unit = unit_of(demo, pid, orgno)
    return {
        "orgno": {"authority": "iso6523-actorid-upis", "ID": f"0192:{orgno}"},
        "resource": resource_id,
        "name": unit.name,
        "unit_type": unit.unit_type,
    }


def orgnos_of(detail: Mapping[str, Any]) -> set[str]:
    """The orgnos of one granted `authorization_details` object."""
    return {p["orgno"]["ID"].removeprefix("0192:") for p in detail.get("authorized_parties", [])}
