"""Who may do what in the mock Altinn: the paths of access, resolved as Altinn does.

For one person (or organisation) asking, every connection they receive becomes a
*grant* on the party that gave it; a key role on an organisation adds the connections
that organisation receives ("via key role"); a grant on a main unit is repeated on each
of its sub-units, without instance delegations. A grant gives actions on a resource
when the resource's policy names its role or one of its packages, or when the resource
was delegated directly. Both the authorized-parties answer and the decision point (PDP)
work from these grants, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from authz_sources.altinn.mock_roles import RoleDef, RoleTable
from authz_sources.altinn.mock_world import Connection, Resource, World

ACCESS_PACKAGE = "urn:altinn:accesspackage:"


@dataclass(frozen=True)
class Grant:
    """What one connection gives on one party."""

    party: str
    """The party that gave it: an orgno or a pid."""
    role: RoleDef | None
    packages: frozenset[str]
    resources: dict[str, tuple[str, ...] | None] = field(hash=False)
    """Directly delegated resource ids, with their actions (None: all of the policy's)."""
    instances: tuple[tuple[str, str], ...] = ()
    """(resource id, instance id) pairs."""
    via_key_role: bool = False


def grants_for(world: World, receiver: str, *, via_key_roles: bool = True) -> list[Grant]:
    """Every grant the receiver holds, in the order of the fixture's connections."""
    direct = world.connections_to.get(receiver, [])
    found = [_grant(world, c, via_key_role=False) for c in direct]
    connections = list(direct)
    if via_key_roles:
        for connection in direct:
            role = world.role(connection.role)
            if role is not None and role.key_role and connection.giver in world.organizations:
                for onward in world.connections_to.get(connection.giver, []):
                    found.append(_grant(world, onward, via_key_role=True))
                    connections.append(onward)
    inherited: list[Grant] = []
    for grant, connection in zip(found, connections, strict=True):
        if connection.subunits_inherit:
            for sub in world.subunits.get(grant.party, []):
                inherited.append(replace(grant, party=sub, instances=()))
    return found + inherited


def _grant(world: World, connection: Connection, *, via_key_role: bool) -> Grant:
    role = world.role(connection.role)
    packages = frozenset((role.packages if role else ()) + connection.packages)
    return Grant(
        party=connection.giver,
        role=role,
        packages=packages,
        resources={d.resource: d.actions for d in connection.delegated()},
        instances=tuple((i.resource, i.instance) for i in connection.instances),
        via_key_role=via_key_role,
    )


def actions(grant: Grant, resource: Resource) -> set[str]:
    """The actions this grant gives on the resource, by every path it carries."""
    found: set[str] = set()
    for rule in resource.policy:
        if any(_names(grant, subject) for subject in rule.subjects):
            found.update(rule.actions)
    if resource.identifier in grant.resources:
        delegated = grant.resources[resource.identifier]
        found.update(resource.all_actions() if delegated is None else delegated)
    return found


def _names(grant: Grant, subject: str) -> bool:
    """Whether a policy subject names the grant's role or one of its packages."""
    if subject.lower().startswith(ACCESS_PACKAGE):
        return subject[len(ACCESS_PACKAGE) :].lower() in {p.lower() for p in grant.packages}
    return grant.role is not None and RoleTable.matches(grant.role, subject)


class PersonAccess:
    """One person's grants indexed by party, for many questions in one request."""

    def __init__(self, world: World, receiver: str) -> None:
        self.world = world
        self.by_party: dict[str, list[Grant]] = {}
        for grant in grants_for(world, receiver):
            self.by_party.setdefault(grant.party, []).append(grant)

    def permitted(self, party: str, resource_id: str) -> set[str]:
        """The PDP's answer: every action the person may take on the resource for the
        party, by any path."""
        resource = self.world.resources.get(resource_id)
        found: set[str] = set()
        if resource is not None:
            for grant in self.by_party.get(party, []):
                found |= actions(grant, resource)
        return found


def permitted(world: World, pid: str, orgno: str, resource_id: str) -> set[str]:
    """`PersonAccess.permitted` for a single question."""
    return PersonAccess(world, pid).permitted(orgno, resource_id)


def holds(world: World, grants: Iterable[Grant], party: str, resource_id: str) -> bool:
    """Whether any grant on the party reaches the resource by role, package or delegation
    (Altinn 2 reportees: the party is listed for a link service it holds)."""
    resource = world.resources.get(resource_id)
    if resource is None:
        return False
    return any(
        grant.party == party and (actions(grant, resource) or resource_id in grant.resources)
        for grant in grants
    )


def ordered_parties(world: World, grants: Iterable[Grant]) -> list[str]:
    """Parties with a grant, in order of their first grant, sub-units right after their
    main unit (the order of Altinn 2's reportee list)."""
    keys = list(dict.fromkeys(grant.party for grant in grants))
    present = set(keys)
    ordered: list[str] = []
    for key in keys:
        parent = world.parent_of(key)
        if parent is not None and parent in present:
            continue  # listed with its main unit
        ordered.append(key)
        ordered += [sub for sub in keys if world.parent_of(sub) == key]
    return ordered
