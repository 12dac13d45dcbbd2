"""Validation shared by both Altinn RAR types: the strictness rules (the shared fields
themselves are parsed by `authz_sources.shared_fields`).

Requested objects come from clients we do not control, so every rejection names the field
and what was expected, and never echoes more than a short excerpt of the input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authz_sources.errors import InvalidDetail
from authz_sources.shared_fields import (
    SHARED_FIELDS,
    SHARED_FLAGS,
    excerpt,
    json_type,
    parse_flag,
    parse_organizationform,
)

__all__ = [
    "SHARED_FIELDS",
    "SHARED_FLAGS",
    "check_fields",
    "excerpt",
    "json_type",
    "parse_flag",
    "parse_organizationform",
]


def check_fields(raw: Mapping[str, Any], rar_type: str, allowed: frozenset[str]) -> None:
    """The object has the right `type` and no field outside `allowed`."""
    if not isinstance(raw, Mapping):
        raise InvalidDetail("an authorization_details entry must be a JSON object")
    if raw.get("type") != rar_type:
        raise InvalidDetail(f"`type` must be {rar_type!r}")
    unknown = sorted(str(key) for key in raw if key not in allowed)
    if unknown:
        names = ", ".join(f"`{excerpt(name, 40)[1:-1]}`" for name in unknown[:5])
        raise InvalidDetail(f"{rar_type}: unknown field {names}")


def required_string(raw: Mapping[str, Any], field: str) -> str:
    """A field that must be present and a string."""
    if field not in raw:
        raise InvalidDetail(f"`{field}` is required")
    value = raw[field]
    if not isinstance(value, str):
        raise InvalidDetail(f"`{field}` must be a string, not a JSON {json_type(value)}")
    return value


def shared_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The shared fields, validated, as keyword arguments for RequestedDetail."""
    values: dict[str, Any] = {flag: parse_flag(raw, flag) for flag in SHARED_FLAGS}
    values["organizationform"] = parse_organizationform(raw)
    values["type"] = raw["type"]
    values["raw"] = dict(raw)
    return values
