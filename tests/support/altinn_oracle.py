"""What the organisation picker should offer, worked out from the mock Altinn's fixture
file alone (spec 4.1, 5 and 8.3 revised), so the tests do not ask the code under test
for the answer.

Deliberately written from the specification, not from `authz_sources.altinn`: if this
reading of the fixture and the mock's (or the source's) ever disagree, a test fails.
The model, in words: a person reaches an organisation through connections to them (a
role with the packages it carries, delegated packages, directly delegated resources),
through connections to an organisation they hold a key role in, and on every sub-unit
of an organisation they reach (except single instances). A resource is reached when its
policy names the role or a package, or when it is delegated directly; the actions are
those the matching policy rules (or the delegation) give. Only the role table (which
packages each role carries) is shared with the mock, as data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from authz_sources.altinn.mock_roles import BUILT_IN

RESOURCE_TYPE = "ansattporten:altinn:resource"
SERVICE_TYPE = "ansattporten:altinn:service"
RESOURCE_PREFIX = "urn:altinn:resource:"
PACKAGE_PREFIX = "urn:altinn:accesspackage:"
ROLE_PREFIX = "urn:altinn:rolecode:"
SUB_UNIT_FORMS = frozenset({"BEDR", "AAFY"})
"""Brønnøysund forms that are sub-units (spec 5: `business` = BEDR/AAFY)."""

Demo = Mapping[str, Any]


@dataclass
class Reach:
    """Everything one person holds on one party, over all paths."""

    roles: set[str] = field(default_factory=set)
    """Lower-case legacy role codes (`dagl`)."""
    packages: set[str] = field(default_factory=set)
    delegated: dict[str, set[str] | None] = field(default_factory=dict)
    """Directly delegated resources and their actions (None: all the policy gives)."""


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


def _orgs(demo: Demo) -> dict[str, Mapping[str, Any]]:
    return {org["orgno"]: org for org in demo["organizations"]}


def _role(name: str) -> tuple[str, bool, tuple[str, ...]]:
    """(legacy code, key role?, packages) of a role the fixture names."""
    for key, role in BUILT_IN.items():
        if name.lower() in {key.lower(), role.code.lower(), (role.legacy or "").lower()}:
            return (role.legacy or key).lower(), role.key_role, role.packages
    raise KeyError(f"the demo names a role the table lacks: {name}")


def reach(demo: Demo, pid: str) -> dict[str, Reach]:
    """Party key (orgno or pid) -> what the person holds there."""
    orgs = _orgs(demo)
    incoming = [c for c in demo["connections"] if c["to"] == pid]
    key_orgs = [
        c["from"] for c in incoming if c.get("role") and _role(c["role"])[1] and c["from"] in orgs
    ]
    connections = incoming + [c for c in demo["connections"] if c["to"] in key_orgs]
    subunits: dict[str, list[str]] = {}
    for orgno, org in orgs.items():
        if org.get("parent"):
            subunits.setdefault(org["parent"], []).append(orgno)
    found: dict[str, Reach] = {}
    for connection in connections:
        targets = [connection["from"]]
        if connection.get("subunits_inherit", True):
            targets += subunits.get(connection["from"], [])
        for target in targets:
            held = found.setdefault(target, Reach())
            if connection.get("role"):
                code, _, packages = _role(connection["role"])
                held.roles.add(code)
                held.packages.update(packages)
            held.packages.update(connection.get("packages", []))
            for item in connection.get("resources", []):
                name, actions = (
                    (item, None)
                    if isinstance(item, str)
                    else (item["resource"], item.get("actions"))
                )
                held.delegated[name] = None if actions is None else set(actions)
    return found


def resource(demo: Demo, resource_id: str) -> Mapping[str, Any]:
    for entry in demo["resources"]:
        if entry["identifier"] == resource_id:
            return dict(entry)
    raise KeyError(f"the demo fixture has no resource {resource_id!r}")


def title(demo: Demo, resource_id: str, locale: str = "nb") -> str:
    return str(resource(demo, resource_id)["title"][locale])


def _actions(demo: Demo, held: Reach, resource_id: str) -> tuple[bool, set[str]]:
    """(reaches the resource at all, the actions it gives)."""
    entry = resource(demo, resource_id)
    actions: set[str] = set()
    named = False
    for rule in entry.get("policy", []):
        for subject in rule["subjects"]:
            lowered = subject.lower()
            hit = (
                lowered.startswith(ROLE_PREFIX) and lowered[len(ROLE_PREFIX) :] in held.roles
            ) or (
                lowered.startswith(PACKAGE_PREFIX)
                and lowered[len(PACKAGE_PREFIX) :] in {p.lower() for p in held.packages}
            )
            if hit:
                named = True
                actions.update(rule["actions"])
    if resource_id in held.delegated:
        named = True
        given = held.delegated[resource_id]
        everything = {a for rule in entry.get("policy", []) for a in rule["actions"]}
        actions |= everything if given is None else given
    return named, actions


def units(demo: Demo, pid: str) -> Iterator[Unit]:
    """Every organisation the person reaches (or sees as the heading of a reached
    sub-unit); persons and other party kinds are skipped, as they are never offered."""
    orgs = _orgs(demo)
    held = reach(demo, pid)
    listed = [key for key in held if key in orgs]
    parents = [orgs[k]["parent"] for k in listed if orgs[k].get("parent")]
    for orgno in dict.fromkeys(listed + parents):
        org = orgs[orgno]
        reached = {
            r["identifier"]
            for r in demo["resources"]
            if orgno in held and _actions(demo, held[orgno], r["identifier"])[0]
        }
        yield Unit(
            orgno=orgno,
            name=str(org["name"]),
            unit_type=str(org["unit_type"]),
            parent=org.get("parent"),
            deleted=bool(org.get("deleted")),
            hierarchy_only=orgno not in held,
            resources=frozenset(reached),
        )


def person_parties(demo: Demo, pid: str) -> list[Mapping[str, Any]]:
    """The person's parties that are people, not organisations."""
    held = reach(demo, pid)
    return [p for p in demo.get("persons", []) if p["pid"] in held]


def held_actions(
    demo: Demo, pid: str, resource_id: str, orgno: str, requested: Iterable[str]
) -> set[str]:
    """The requested actions the PDP permits the person for the party."""
    return _held_actions(demo, reach(demo, pid), resource_id, orgno, requested)


def _held_actions(
    demo: Demo, held: Mapping[str, Reach], resource_id: str, orgno: str, requested: Iterable[str]
) -> set[str]:
    given = _actions(demo, held[orgno], resource_id)[1] if orgno in held else set()
    return {a for a in requested if a in given}


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
    held = reach(demo, pid)
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
        if wanted and not _held_actions(demo, held, resource_id, unit.orgno, wanted):
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


def people(demo: Demo) -> list[str]:
    """Everyone the fixture gives access to (11-digit receivers)."""
    return sorted({c["to"] for c in demo["connections"] if len(c["to"]) == 11})


def all_orgnos(demo: Demo) -> set[str]:
    return set(_orgs(demo))


def foreign_orgno(demo: Demo, pid: str) -> str:
    """An organisation another person of the fixture may act for, but this one may not."""
    own = {unit.orgno for unit in units(demo, pid)}
    for other in people(demo):
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
