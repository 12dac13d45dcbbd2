"""The mock's first fixture format, still accepted and turned into today's model.

    {
      "authorized_parties": {"<pid>": [<authorized party, as the API returns it>, ...]},
      "resources": [
        {"identifier": "resource_enkeltrettighet",
         "title": {"nb": "...", "nn": "...", "en": "..."},
         "actions": ["read", "write", "report"],          # optional: what the PDP offers
         "denied_actions": {"<orgno>": ["report"]},        # optional: PDP exceptions
         "rights": ["Read", "ArchiveRead"]}                # optional: Altinn 2 rights
      ]
    }

It listed each person's answer as served, with access only in `authorizedResources`.
Each listed party becomes connections to the person carrying exactly what was listed:
its roles (as plain names, giving no packages), its packages, and its resources
delegated directly with the resource's `actions` minus that party's `denied_actions`.
Sub-units were listed one by one, so nothing is inherited from the main unit; a
hierarchy-only element gets no connection and reappears as the heading of its sub-units.
The answers (and the PDP's decisions) are the same as the first mock gave.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from authz_sources.altinn.mock_roles import RoleDef
from authz_sources.altinn.mock_world import (
    Connection,
    Delegated,
    FixtureError,
    InstanceDelegation,
    Organization,
    Person,
    Pid,
    Resource,
    ResourceId,
    Title,
    WorldFile,
)
from authz_sources.altinn.wire import AuthorizedParty, OrgNo


class FixtureParty(AuthorizedParty, forbid_unknown_fields=True):
    """An authorized party as written in a fixture: typos in field names are errors."""

    subunits: Sequence[FixtureParty] = msgspec.field(default_factory=list)


class LegacyResource(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    identifier: ResourceId
    title: Title
    actions: list[str] = msgspec.field(default_factory=list)
    denied_actions: dict[OrgNo, list[str]] = msgspec.field(default_factory=dict)
    rights: list[str] = msgspec.field(default_factory=list)


class LegacyFile(msgspec.Struct, forbid_unknown_fields=True):
    """The whole file: exactly these two keys."""

    authorized_parties: dict[Pid, list[FixtureParty]]
    resources: list[LegacyResource]


def is_legacy(raw: Any) -> bool:
    return isinstance(raw, dict) and "authorized_parties" in raw


def _check_party(where: str, party: AuthorizedParty, *, nested: bool) -> None:
    """Rules msgspec cannot express: identifiers per party type, one level of sub-units."""
    if party.type == "Organization" and party.organization_number is None:
        raise FixtureError(f"{where}: an Organization needs `organizationNumber`")
    if party.type == "Person" and party.person_id is None:
        raise FixtureError(f"{where}: a Person needs `personId`")
    if nested and party.subunits:
        raise FixtureError(f"{where}: sub-units are only one level deep")
    for index, sub in enumerate(party.subunits):
        _check_party(f"{where}.subunits[{index}]", sub, nested=True)


class _Converter:
    def __init__(self, legacy: LegacyFile) -> None:
        self.resources = {r.identifier: r for r in legacy.resources}
        self.organizations: dict[str, Organization] = {}
        self.persons: dict[str, Person] = {}
        self.connections: list[Connection] = []
        self.roles: dict[str, RoleDef] = {}

    def party(self, pid: str, party: AuthorizedParty, parent: AuthorizedParty | None) -> None:
        key = self._register(party, parent)
        if not party.only_hierarchy_element_with_no_access:
            self._connect(pid, key, party)
        for sub in party.subunits:
            self.party(pid, sub, party)

    def _register(self, party: AuthorizedParty, parent: AuthorizedParty | None) -> str:
        if party.type == "Person" and party.person_id is not None:
            self.persons.setdefault(
                party.person_id,
                Person(
                    pid=party.person_id,
                    name=party.name,
                    party_uuid=party.party_uuid,
                    party_id=party.party_id,
                    date_of_birth=party.date_of_birth,
                ),
            )
            return party.person_id
        orgno = str(party.organization_number)
        self.organizations.setdefault(
            orgno,
            Organization(
                orgno=orgno,
                name=party.name,
                unit_type=party.unit_type or "",
                party_uuid=party.party_uuid,
                party_id=party.party_id,
                parent=parent.organization_number if parent is not None else None,
                deleted=party.is_deleted,
            ),
        )
        return orgno

    def _connect(self, pid: str, key: str, party: AuthorizedParty) -> None:
        delegated = [
            Delegated(resource=r, actions=self._actions(r, key)) for r in party.authorized_resources
        ]
        for name in party.authorized_roles:
            self.roles.setdefault(name, RoleDef(code=name))
        roles: list[str | None] = list(party.authorized_roles) or [None]
        for index, role in enumerate(roles):
            first = index == 0
            self.connections.append(
                Connection(
                    giver=key,
                    to=pid,
                    role=role,
                    packages=tuple(party.authorized_access_packages) if first else (),
                    resources=tuple(delegated) if first else (),
                    instances=tuple(
                        InstanceDelegation(resource=i.resource_id, instance=i.instance_id)
                        for i in party.authorized_instances
                    )
                    if first
                    else (),
                    subunits_inherit=False,
                )
            )

    def _actions(self, resource_id: str, orgno: str) -> tuple[str, ...]:
        resource = self.resources.get(resource_id)
        if resource is None:
            return ()
        denied = set(resource.denied_actions.get(orgno, []))
        return tuple(a for a in resource.actions if a not in denied)


def convert(raw: Any) -> WorldFile:
    """The legacy fixture as today's model; FixtureError naming the bad entry."""
    legacy = msgspec.convert(raw, LegacyFile)
    converter = _Converter(legacy)
    seen: set[str] = set()
    for resource in legacy.resources:
        if resource.identifier in seen:
            raise FixtureError(f"resource {resource.identifier!r} is listed twice")
        seen.add(resource.identifier)
    for person_index, (pid, parties) in enumerate(legacy.authorized_parties.items()):
        for index, party in enumerate(parties):
            _check_party(
                f"authorized_parties[person #{person_index + 1}][{index}]", party, nested=False
            )
            converter.party(pid, party, None)
    return WorldFile(
        organizations=list(converter.organizations.values()),
        persons=list(converter.persons.values()),
        roles=converter.roles,
        connections=converter.connections,
        resources=[
            Resource(identifier=r.identifier, title=r.title, rights=tuple(r.rights))
            for r in legacy.resources
        ],
    )
