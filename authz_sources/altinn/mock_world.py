"""What the mock Altinn knows, modelled as Altinn models it (the fixture format).

    {
      "organizations": [
        {"orgno": "314663799", "name": "...", "unit_type": "AS",
         "party_uuid": "...", "party_id": 50100001},
        {"orgno": "313094545", "name": "...", "unit_type": "BEDR", "parent": "314663799",
         "party_uuid": "...", "party_id": 50100002, "deleted": false}
      ],
      "persons": [{"pid": "23865938772", "name": "...", "party_uuid": "...",
                   "party_id": 50100100, "date_of_birth": "1959-06-23"}],
      "roles": {"XYZ": {"code": "...", "legacy": "xyz", "key_role": false,
                        "packages": [...]}},                      # optional: extra roles
      "connections": [
        {"from": "314663799", "to": "23865938772", "role": "DAGL"},
        {"from": "<client orgno>", "to": "<firm orgno>", "role": "REGN"},
        {"from": "<orgno>", "to": "<pid>", "packages": ["lonn"]},
        {"from": "<orgno>", "to": "<pid>",
         "resources": ["app_x", {"resource": "app_y", "actions": ["read"]}]},
        {"from": "<orgno>", "to": "<pid>",
         "instances": [{"resource": "app_x", "instance": "<uuid>"}]}
      ],
      "resources": [
        {"identifier": "app_ttd_apps-test",
         "title": {"nb": "...", "nn": "...", "en": "..."},
         "policy": [{"subjects": ["urn:altinn:rolecode:dagl",
                                  "urn:altinn:accesspackage:regnskapsforer-lonn"],
                     "actions": ["read", "write"]}],
         "rights": ["Read", "ArchiveRead"]}          # optional: Altinn 2 link service rights
      ]
    }

A *connection* is what Altinn stores when someone gets access: the party giving it
(`from`), who receives it (`to`: a person's number, or an organisation whose key-role
holders then act for it; a receiver needs no entry of its own), and what it carries: a
role (with the role's packages), packages delegated on their own, single resources
delegated directly (all of the policy's actions, or those listed), or single instances.
Access on a main unit reaches its sub-units (unless `subunits_inherit` is false);
instance delegations never do. A resource's `policy` says which roles and packages give
which actions, as a resource policy does in Altinn's resource registry. Altinn 2 link
service `C:E` is the resource `se_C_E`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

import msgspec

from authz_sources.altinn.mock_roles import RoleDef, RoleTable
from authz_sources.altinn.wire import OrgNo

T = TypeVar("T")
_PID = re.compile(r"\d{11}")
Pid = Annotated[str, msgspec.Meta(pattern=r"^\d{11}$")]
ResourceId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]+$")]


class FixtureError(ValueError):
    """The fixture does not follow the format; the message says where."""


class Organization(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    orgno: OrgNo
    name: str
    unit_type: str
    party_uuid: str
    party_id: int
    parent: OrgNo | None = None
    deleted: bool = False


class Person(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pid: Pid
    name: str
    party_uuid: str
    party_id: int
    date_of_birth: str | None = None


class Delegated(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A resource delegated directly; `actions` None means every action of its policy."""

    resource: str
    actions: tuple[str, ...] | None = None


class InstanceDelegation(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    resource: str
    instance: str


class Connection(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    giver: str = msgspec.field(name="from")
    to: str
    role: str | None = None
    packages: tuple[str, ...] = ()
    resources: tuple[str | Delegated, ...] = ()
    instances: tuple[InstanceDelegation, ...] = ()
    subunits_inherit: bool = True

    def delegated(self) -> Iterator[Delegated]:
        for item in self.resources:
            yield Delegated(resource=item) if isinstance(item, str) else item


class Title(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A resource title; all three written languages are required in fixtures."""

    nb: str
    nn: str
    en: str


class PolicyRule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    subjects: tuple[str, ...]
    actions: tuple[str, ...]


class Resource(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    identifier: ResourceId
    title: Title
    policy: tuple[PolicyRule, ...] = ()
    rights: tuple[str, ...] = ()

    def all_actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for rule in self.policy for a in rule.actions))


class WorldFile(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    organizations: list[Organization]
    persons: list[Person] = msgspec.field(default_factory=list)
    roles: dict[str, RoleDef] = msgspec.field(default_factory=dict)
    connections: list[Connection]
    resources: list[Resource]


class World:
    """A validated fixture with the indices the mock's answers need."""

    def __init__(self, data: WorldFile, *, check_delegated_resources: bool = True) -> None:
        self.data = data
        self.roles = RoleTable(data.roles)
        self.organizations = _unique(data.organizations, lambda o: o.orgno, "organisation")
        self.persons = _unique(data.persons, lambda p: p.pid, "person")
        self.resources = _unique(data.resources, lambda r: r.identifier, "resource")
        parties: list[Organization | Person] = [*data.organizations, *data.persons]
        _unique(parties, lambda p: p.party_uuid, "party_uuid")
        _unique(parties, lambda p: str(p.party_id), "party_id")
        self.subunits: dict[str, list[str]] = {}
        for org in data.organizations:
            if org.parent is None:
                continue
            parent = self.organizations.get(org.parent)
            if parent is None:
                raise FixtureError(f"organisation {org.orgno}: parent {org.parent} is not listed")
            if parent.parent is not None:
                raise FixtureError(f"organisation {org.orgno}: sub-units are only one level deep")
            self.subunits.setdefault(parent.orgno, []).append(org.orgno)
        self.connections_to: dict[str, list[Connection]] = {}
        for index, connection in enumerate(data.connections):
            self._check(f"connections[{index}]", connection, check_delegated_resources)
            self.connections_to.setdefault(connection.to, []).append(connection)

    def _check(self, where: str, connection: Connection, check_resources: bool) -> None:
        """References must resolve: parties, roles, and (new format) resources."""
        if not self.is_party(connection.giver):
            raise FixtureError(f"{where}: `from` {connection.giver!r} is no listed party")
        if not (self.is_party(connection.to) or _PID.fullmatch(connection.to)):
            raise FixtureError(f"{where}: `to` {connection.to!r} is no party nor a person's number")
        if connection.role is not None and self.roles.get(connection.role) is None:
            raise FixtureError(f"{where}: unknown role {connection.role!r}")
        if check_resources:
            named = [d.resource for d in connection.delegated()]
            named += [i.resource for i in connection.instances]
            for resource_id in named:
                if resource_id not in self.resources:
                    raise FixtureError(f"{where}: resource {resource_id!r} is not registered")

    def is_party(self, key: str) -> bool:
        return key in self.organizations or key in self.persons

    def role(self, name: str | None) -> RoleDef | None:
        return None if name is None else self.roles.get(name)

    def parent_of(self, orgno: str) -> str | None:
        org = self.organizations.get(orgno)
        return org.parent if org is not None else None


def _unique(items: list[T], key: Callable[[T], str], what: str) -> dict[str, T]:
    found: dict[str, T] = {}
    for item in items:
        name = key(item)
        if name in found:
            raise FixtureError(f"{what} {name!r} is listed twice")
        found[name] = item
    return found
