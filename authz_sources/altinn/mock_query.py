"""How the mock Altinn reads a request to `resourceowner/authorizedparties`, the way
ASP.NET Core binds Altinn's controller (`AuthorizedPartiesController`, service owner):

- query names are matched without regard to case; a boolean is `true`/`false` in any
  case; `includePartiesViaKeyRoles`, `includeSubParties` and `includeInactiveParties`
  are `false`/`true`/`auto` (or 0/1/2); a value that does not bind is a 400
  ValidationProblemDetails naming the parameter;
- `anyOfResourceIds` is a list bound from repeated parameters
  (`?anyOfResourceIds=a&anyOfResourceIds=b`), each value one id, never split on commas;
- `includeAltinn2`, `includeAltinn3` and `orgCode`'s owner check are not modelled:
  today's service-owner controller binds no `includeAltinn2`/`includeAltinn3`
  (Altinn's own test suite notes it), so they are accepted and ignored;
- the body names the subject (`type` + `value`) and may carry `partyFilter`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import parse_qsl

from authz_sources.altinn.mock_parties import Query
from authz_sources.altinn.mock_world import Organization, Person, World
from authz_sources.altinn.wire import PERSON_IDENTIFIER, PartyAttribute, SubjectAttribute

ORGANIZATION_IDENTIFIER = "urn:altinn:organization:identifier-no"
UUID_TYPES = ("urn:altinn:party:uuid", "urn:altinn:person:uuid", "urn:altinn:organization:uuid")
PARTY_ID = "urn:altinn:partyid"
KNOWN_ELSEWHERE = ("urn:altinn:userid", "urn:altinn:enterpriseuser:username")
"""Subject types Altinn knows but the mock has no data for."""

_BOOLS = {
    "includeroles": ("includeRoles", True),
    "includeaccesspackages": ("includeAccessPackages", False),
    "includeresources": ("includeResources", True),
    "includeinstances": ("includeInstances", True),
}
_TRI_STATE = {
    "includepartiesviakeyroles": "includePartiesViaKeyRoles",
    "includesubparties": "includeSubParties",
    "includeinactiveparties": "includeInactiveParties",
}
_TRI_VALUES = {"false": False, "0": False, "true": True, "1": True, "auto": True, "2": True}


class BindingError(ValueError):
    """A parameter did not bind; `errors` maps its name to messages, as ASP.NET does."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def parse_query(query_string: bytes) -> Query:
    """The flags and resource filter of one request (BindingError if a value is bad)."""
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        values.setdefault(name.lower(), []).append(value)
    errors: dict[str, list[str]] = {}
    flags: dict[str, bool] = {}
    for key, (name, default) in _BOOLS.items():
        raw = values.get(key, [None])[0]
        parsed = default if raw is None else _bool(raw)
        if parsed is None:
            errors[name] = [f"The value '{raw}' is not valid."]
        flags[key] = bool(parsed)
    for key, name in _TRI_STATE.items():
        raw = values.get(key, [None])[0]
        tri = True if raw is None else _TRI_VALUES.get(raw.strip().lower())
        if tri is None:
            errors[name] = [f"The value '{raw}' is not valid."]
        flags[key] = bool(tri)
    if errors:
        raise BindingError(errors)
    return Query(
        include_roles=flags["includeroles"],
        include_access_packages=flags["includeaccesspackages"],
        include_resources=flags["includeresources"],
        include_instances=flags["includeinstances"],
        via_key_roles=flags["includepartiesviakeyroles"],
        include_inactive=flags["includeinactiveparties"],
        any_of_resource_ids=tuple(v for v in values.get("anyofresourceids", []) if v),
    )


def _bool(raw: str) -> bool | None:
    lowered = raw.strip().lower()
    return True if lowered == "true" else False if lowered == "false" else None


def party_key(world: World, attribute: SubjectAttribute | PartyAttribute) -> str | None:
    """The party (orgno or pid) an attribute names; None when nobody matches.
    ValueError for an attribute type the mock cannot resolve."""
    kind, value = attribute.type, attribute.value
    if kind in (PERSON_IDENTIFIER, ORGANIZATION_IDENTIFIER):
        return value
    if kind in UUID_TYPES:
        return _by(world, lambda party: party.party_uuid.lower() == value.lower())
    if kind == PARTY_ID:
        return _by(world, lambda party: str(party.party_id) == value)
    if kind in KNOWN_ELSEWHERE:
        raise ValueError(f"the mock has no data for subjects of type {kind!r}")
    raise ValueError(f"Unknown attribute type: {kind}")


def _by(world: World, match: Callable[[Organization | Person], bool]) -> str | None:
    for orgno, org in world.organizations.items():
        if match(org):
            return orgno
    for pid, person in world.persons.items():
        if match(person):
            return pid
    return None


def with_party_filter(world: World, query: Query, body: SubjectAttribute) -> Query:
    """The query limited to the body's `partyFilter` (unknown parties simply match none)."""
    if not body.party_filter:
        return query
    keys = {key for item in body.party_filter if (key := party_key(world, item)) is not None}
    return replace(query, party_filter=frozenset(keys))
