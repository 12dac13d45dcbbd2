"""The mock Altinn's fixture file: format, validation and the questions it answers.

Format (a public contract: the demo, the tests and operators' own fixtures use it)::

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

A party *holds* a resource when the id is in its `authorizedResources` and it is not a
hierarchy-only element. Altinn 2 link service `C:E` is the resource `se_C_E`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import msgspec

from authz_sources.altinn.wire import AuthorizedParty, OrgNo

Pid = Annotated[str, msgspec.Meta(pattern=r"^\d{11}$")]


class FixtureError(ValueError):
    """The fixture does not follow the format; the message says where."""


class FixtureParty(AuthorizedParty, forbid_unknown_fields=True):
    """An authorized party as written in a fixture: typos in field names are errors."""

    subunits: Sequence[FixtureParty] = msgspec.field(default_factory=list)


class FixtureTitle(msgspec.Struct, forbid_unknown_fields=True):
    """A resource title; all three written languages are required in fixtures."""

    nb: str
    nn: str
    en: str


class FixtureResource(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A resource-registry entry plus what the mock's PDP and Altinn 2 API derive."""

    identifier: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]+$")]
    title: FixtureTitle
    actions: list[str] = msgspec.field(default_factory=list)
    denied_actions: dict[OrgNo, list[str]] = msgspec.field(default_factory=dict)
    rights: list[str] = msgspec.field(default_factory=list)


class FixtureFile(msgspec.Struct, forbid_unknown_fields=True):
    """The whole file: exactly these two keys."""

    authorized_parties: dict[Pid, list[FixtureParty]]
    resources: list[FixtureResource]


@dataclass(frozen=True)
class Holding:
    """A party in a person's list, with its main unit when it is a sub-unit."""

    party: AuthorizedParty
    parent: AuthorizedParty | None


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


class MockData:
    """A validated fixture and the answers the mock endpoints derive from it."""

    def __init__(self, fixture: FixtureFile) -> None:
        self.resources: dict[str, FixtureResource] = {}
        for resource in fixture.resources:
            if resource.identifier in self.resources:
                raise FixtureError(f"resource {resource.identifier!r} is listed twice")
            self.resources[resource.identifier] = resource
        # Served as plain AuthorizedParty so the answer keeps Altinn's field order.
        self.parties: dict[str, list[AuthorizedParty]] = {
            pid: msgspec.convert(msgspec.to_builtins(parties), list[AuthorizedParty])
            for pid, parties in fixture.authorized_parties.items()
        }
        for pid_index, parties in enumerate(self.parties.values()):
            for index, party in enumerate(parties):
                where = f"authorized_parties[person #{pid_index + 1}][{index}]"
                _check_party(where, party, nested=False)

    def holdings(self, pid: str) -> Iterator[Holding]:
        """Every party of the person, main units followed by their sub-units."""
        for party in self.parties.get(pid, []):
            yield Holding(party, None)
            for sub in party.subunits:
                yield Holding(sub, party)

    def find(self, pid: str, orgno: str) -> Holding | None:
        """The person's party with this organisation number, if any."""
        for holding in self.holdings(pid):
            if holding.party.organization_number == orgno:
                return holding
        return None

    @staticmethod
    def holds(party: AuthorizedParty, resource_id: str) -> bool:
        """Whether the party itself has access to the resource."""
        return (
            not party.only_hierarchy_element_with_no_access
            and resource_id in party.authorized_resources
        )

    def permitted_actions(self, pid: str, orgno: str, resource_id: str) -> set[str]:
        """The PDP's view: offered actions minus the ones denied for this party."""
        holding = self.find(pid, orgno)
        resource = self.resources.get(resource_id)
        if holding is None or resource is None or not self.holds(holding.party, resource_id):
            return set()
        return set(resource.actions) - set(resource.denied_actions.get(orgno, []))


def load_fixture(fixture: Path | Mapping[str, Any]) -> MockData:
    """Read and validate a fixture file (or an already-parsed mapping)."""
    origin = str(fixture) if isinstance(fixture, Path) else "fixture mapping"
    try:
        raw: Any = json.loads(fixture.read_text("utf-8")) if isinstance(fixture, Path) else fixture
    except (OSError, ValueError) as exc:
        raise FixtureError(f"altinn mock fixture {origin}: cannot read JSON: {exc}") from exc
    try:
        parsed = msgspec.convert(raw, FixtureFile)
        return MockData(parsed)
    except (msgspec.ValidationError, FixtureError) as exc:
        raise FixtureError(f"altinn mock fixture {origin}: {exc}") from exc
