"""`ansattporten:altinn:resource`: an Altinn 3 resource, optionally with actions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from authz_sources.errors import InvalidDetail
from authz_sources.shared import (
    SHARED_FIELDS,
    check_fields,
    excerpt,
    json_type,
    required_string,
    shared_values,
)
from authz_sources.types import RequestedDetail

RESOURCE_TYPE = "ansattporten:altinn:resource"
RESOURCE_PREFIX = "urn:altinn:resource:"
_RESOURCE_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
_ACTION = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
MAX_ACTIONS = 20


class ResourceDetail(RequestedDetail, frozen=True, kw_only=True):
    """A validated request for one Altinn 3 resource."""

    resource: str
    """The full URN as requested (`urn:altinn:resource:<id>`), echoed into the token."""

    resource_id: str
    """The bare resource id, as Altinn's `authorizedResources` lists it."""

    actions: tuple[str, ...] = ()
    """Requested actions (at least one must be held); empty when none were asked for."""


def parse_resource_urn(value: str) -> str:
    """The bare id of `urn:altinn:resource:<id>`."""
    resource_id = value.removeprefix(RESOURCE_PREFIX)
    if not value.startswith(RESOURCE_PREFIX) or not _RESOURCE_ID.fullmatch(resource_id):
        hint = " (Altinn 2 services use ansattporten:altinn:service)" if ":" in resource_id else ""
        raise InvalidDetail(
            f"`resource` must look like urn:altinn:resource:<id>, not {excerpt(value)}{hint}"
        )
    return resource_id


def parse_actions(value: Any) -> tuple[str, ...]:
    """A comma-separated string (the documented form) or a JSON array of action names."""
    if isinstance(value, str):
        names = [part.strip() for part in value.split(",")]
    elif isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise InvalidDetail("`actions` must be a string or an array of strings")
        names = [item.strip() for item in value]
    else:
        raise InvalidDetail(
            f"`actions` must be a comma-separated string, not a JSON {json_type(value)}"
        )
    if not names or any(not name for name in names):
        raise InvalidDetail('`actions` must list non-empty action names, e.g. "read,write"')
    for name in names:
        if not _ACTION.fullmatch(name):
            raise InvalidDetail(f"`actions` contains an invalid action name {excerpt(name)}")
    unique = tuple(dict.fromkeys(names))
    if len(unique) > MAX_ACTIONS:
        raise InvalidDetail(f"`actions` may name at most {MAX_ACTIONS} actions")
    return unique


def parse_resource_detail(raw: Mapping[str, Any]) -> ResourceDetail:
    """Validate one `ansattporten:altinn:resource` object (pure; InvalidDetail if bad)."""
    check_fields(raw, RESOURCE_TYPE, SHARED_FIELDS | {"resource", "actions"})
    resource = required_string(raw, "resource")
    resource_id = parse_resource_urn(resource)
    actions = parse_actions(raw["actions"]) if "actions" in raw else ()
    return ResourceDetail(
        resource=resource, resource_id=resource_id, actions=actions, **shared_values(raw)
    )
