"""The authorized-parties answer, built the way Altinn's AuthorizedPartiesService
builds it (Altinn/altinn-authorization-tmp, `AuthorizedPartiesServiceEf`):

- with `anyOfResourceIds`, unknown ids are ignored; if none is known the answer is `[]`.
  The known ids give a resource filter, the packages and roles their policies name give
  a package and a role filter. A grant stays when its role is in the role filter, or it
  keeps a package, a resource or an instance after trimming to the filters; what is
  listed on the party is the trimmed set, so a party reached through a package shows
  that package and `"authorizedResources": []`;
- every party with a grant is listed once; a sub-unit is nested under its main unit,
  which is listed with `onlyHierarchyElementWithNoAccess: true` when the person has no
  grant on it;
- `includeRoles`, `includeAccessPackages`, `includeResources`, `includeInstances` decide
  which lists are filled (they never change which parties come back); roles appear with
  today's code and the legacy code; the lists are sorted;
- `includePartiesViaKeyRoles=false` leaves out what is reached only through an
  organisation the person holds a key role for; `includeInactiveParties=false` leaves
  out deleted parties; `auto` means true (the mock has no user profile settings, and
  Altinn defaults to true without one). `includeSubParties` is accepted and, as in
  Altinn today, not applied.
- `parentId` is null on sub-units, as Altinn's current service leaves it (its 2025/26
  integration guide shows the same).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from authz_sources.altinn.mock_access import ACCESS_PACKAGE, Grant, grants_for
from authz_sources.altinn.mock_roles import RoleTable
from authz_sources.altinn.mock_world import World
from authz_sources.altinn.wire import AuthorizedInstance, AuthorizedParty

ROLE_SUBJECTS = ("urn:altinn:rolecode:", "urn:altinn:role:")


@dataclass(frozen=True)
class Query:
    """The query flags and body filter of one request, with Altinn's defaults."""

    include_roles: bool = True
    include_access_packages: bool = False
    include_resources: bool = True
    include_instances: bool = True
    via_key_roles: bool = True
    include_inactive: bool = True
    any_of_resource_ids: tuple[str, ...] = ()
    party_filter: frozenset[str] | None = None
    """Party keys (orgno or pid) the answer is limited to; None: no filter."""


@dataclass(frozen=True)
class _Filter:
    resources: frozenset[str]
    packages: frozenset[str]
    roles: tuple[str, ...]
    """Policy subjects naming roles."""

    def names_role(self, grant: Grant) -> bool:
        return grant.role is not None and any(
            RoleTable.matches(grant.role, subject) for subject in self.roles
        )

    def trim(self, grant: Grant) -> Grant | None:
        """The grant cut down to what reaches the filtered resources, or None."""
        packages = frozenset(p for p in grant.packages if p.lower() in self.packages)
        resources = {r: a for r, a in grant.resources.items() if r.lower() in self.resources}
        instances = tuple(i for i in grant.instances if i[0].lower() in self.resources)
        if not (self.names_role(grant) or packages or resources or instances):
            return None
        return replace(grant, packages=packages, resources=resources, instances=instances)


def _resource_filter(world: World, wanted: tuple[str, ...]) -> _Filter | None:
    """The filters the known ids give; None when no id is a registered resource."""
    by_lower = {rid.lower(): res for rid, res in world.resources.items()}
    known = [by_lower[w.lower()] for w in wanted if w.lower() in by_lower]
    if not known:
        return None
    subjects = [s for res in known for rule in res.policy for s in rule.subjects]
    return _Filter(
        resources=frozenset(res.identifier.lower() for res in known),
        packages=frozenset(
            s[len(ACCESS_PACKAGE) :].lower()
            for s in subjects
            if s.lower().startswith(ACCESS_PACKAGE)
        ),
        roles=tuple(s for s in subjects if s.lower().startswith(ROLE_SUBJECTS)),
    )


def authorized_parties(world: World, receiver: str, query: Query) -> list[AuthorizedParty]:
    """The answer for one subject (a pid or an orgno)."""
    grants = grants_for(world, receiver, via_key_roles=query.via_key_roles)
    role_filter: _Filter | None = None
    if query.any_of_resource_ids:
        role_filter = _resource_filter(world, query.any_of_resource_ids)
        if role_filter is None:
            return []
        grants = [t for g in grants if (t := role_filter.trim(g)) is not None]
    if not query.include_inactive:
        grants = [g for g in grants if not _deleted(world, g.party)]
    if query.party_filter is not None:
        allowed = query.party_filter
        grants = [g for g in grants if g.party in allowed]
    return _arrange(world, grants, query, role_filter)


def _deleted(world: World, party: str) -> bool:
    org = world.organizations.get(party)
    return org is not None and org.deleted


def _arrange(
    world: World, grants: list[Grant], query: Query, role_filter: _Filter | None
) -> list[AuthorizedParty]:
    """Parties in order of their first grant, sub-units nested, lists filled per flag."""
    listed: dict[str, AuthorizedParty] = {}
    top: list[AuthorizedParty] = []
    for grant in grants:
        if grant.party in listed:
            listed[grant.party].only_hierarchy_element_with_no_access = False
            continue
        party = _party(world, grant.party)
        listed[grant.party] = party
        parent = world.parent_of(grant.party)
        if parent is None:
            top.append(party)
            continue
        if parent not in listed:
            header = _party(world, parent, hierarchy_only=True)
            listed[parent] = header
            top.append(header)
        listed[parent].subunits = [*listed[parent].subunits, party]
    for grant in grants:
        _enrich(listed[grant.party], grant, query, role_filter)
    for party in listed.values():
        _sort_lists(party)
    return top


def _party(world: World, key: str, *, hierarchy_only: bool = False) -> AuthorizedParty:
    org = world.organizations.get(key)
    if org is not None:
        return AuthorizedParty(
            party_uuid=org.party_uuid,
            party_id=org.party_id,
            name=org.name,
            organization_number=org.orgno,
            type="Organization",
            unit_type=org.unit_type,
            is_deleted=org.deleted,
            only_hierarchy_element_with_no_access=hierarchy_only,
        )
    person = world.persons[key]
    return AuthorizedParty(
        party_uuid=person.party_uuid,
        party_id=person.party_id,
        name=person.name,
        person_id=person.pid,
        date_of_birth=person.date_of_birth,
        type="Person",
    )


def _enrich(party: AuthorizedParty, grant: Grant, query: Query, filt: _Filter | None) -> None:
    if query.include_roles and grant.role is not None and (filt is None or filt.names_role(grant)):
        party.authorized_roles = [*party.authorized_roles, *grant.role.codes()]
    if query.include_access_packages:
        party.authorized_access_packages = [*party.authorized_access_packages, *grant.packages]
    if query.include_resources:
        party.authorized_resources = [*party.authorized_resources, *grant.resources]
    if query.include_instances:
        party.authorized_instances = [
            *party.authorized_instances,
            *(AuthorizedInstance(resource_id=r, instance_id=i) for r, i in grant.instances),
        ]


def _sort_lists(party: AuthorizedParty) -> None:
    """Altinn keeps each list in a sorted dictionary: sorted, no repeats."""
    party.authorized_roles = sorted(set(party.authorized_roles))
    party.authorized_access_packages = sorted(set(party.authorized_access_packages))
    party.authorized_resources = sorted(set(party.authorized_resources))
    unique = {(i.resource_id, i.instance_id): i for i in party.authorized_instances}
    party.authorized_instances = [unique[k] for k in sorted(unique)]
