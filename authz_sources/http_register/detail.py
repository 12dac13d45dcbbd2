"""Parsing a requested object for a type an agency register owns.

The provider understands only the shared flags (spec 4): `organizationform`,
`allow_multiple_organizations`, `allow_deleted_organizations`,
`representation_is_required`, checked exactly as for the Altinn types. Every other field
belongs to the agency, which declares it in settings (`fields`, name -> JSON kind): it is
passed to the register as sent and echoed into the token, so here it need only be of its
declared kind, plain JSON, and of bounded size and depth. An undeclared field is refused,
as RFC 9396 asks of unknown fields.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Final

import msgspec

from authz_sources.errors import InvalidDetail
from authz_sources.http_register.settings import HttpRegisterSettings
from authz_sources.shared import SHARED_FIELDS, json_type, shared_values
from authz_sources.types import RequestedDetail

RESERVED_FIELDS: Final = frozenset({"authorized_parties"})
"""Fields a client may not send, because the provider writes them into the token."""

MAX_DEPTH: Final = 8
MAX_KEY_LENGTH: Final = 64
_SAFE_INT: Final = 2**53


def _cut(path: str) -> str:
    """A field path short enough to quote back to the client."""
    return path if len(path) <= 60 else path[:59] + "…"


def _check_json(value: Any, where: str, depth: int) -> None:
    """Plain JSON only: no NaN, no integers JSON readers would round, bounded nesting."""
    if depth > MAX_DEPTH:
        raise InvalidDetail(f"`{_cut(where)}` is nested more than {MAX_DEPTH} levels deep")
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if abs(value) > _SAFE_INT:
            raise InvalidDetail(f"`{_cut(where)}` holds an integer too large for JSON")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidDetail(f"`{_cut(where)}` holds a number that is not finite")
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH:
                raise InvalidDetail(f"`{_cut(where)}` has a key that is not a short string")
            _check_json(item, f"{where}.{key}", depth + 1)
        return
    raise InvalidDetail(f"`{_cut(where)}` is not a JSON value")


_KIND_CHECKS: Final[dict[str, tuple[str, Callable[[Any], bool]]]] = {
    "string": ("a string", lambda v: isinstance(v, str)),
    "number": ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    "integer": ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "boolean": ("a boolean", lambda v: isinstance(v, bool)),
    "array": ("an array", lambda v: isinstance(v, list)),
    "object": ("an object", lambda v: isinstance(v, dict)),
    "any": ("any JSON value", lambda v: True),
}
"""The JSON kinds a register may declare for its own fields (`fields` in settings)."""


def _check_field(key: str, value: Any, kind: str) -> None:
    what, accepts = _KIND_CHECKS[kind]
    if not accepts(value):
        raise InvalidDetail(f"`{key}` must be {what}, not a JSON {json_type(value)}")
    _check_json(value, key, 1)


def parse_register_detail(
    raw: Mapping[str, Any], settings: HttpRegisterSettings
) -> RequestedDetail:
    """Validate one requested object for the register `settings` describe.

    Besides the shared fields, only the fields the register declares are allowed (RFC
    9396 wants unknown fields refused), each of its declared JSON kind.
    """
    types = settings.types
    rar_type = raw.get("type")
    if not isinstance(rar_type, str) or rar_type not in types:
        raise InvalidDetail(f"`type` must be one of: {', '.join(types)}")
    shared = shared_values(raw)
    for key in raw:
        if key in SHARED_FIELDS:
            continue
        if key in RESERVED_FIELDS:
            raise InvalidDetail(f"`{key}` is set by the provider and may not be requested")
        kind = settings.fields.get(key) if isinstance(key, str) else None
        if kind is None:
            known = ", ".join(sorted(settings.fields)) or "none besides the shared ones"
            raise InvalidDetail(
                f"unknown field `{_cut(str(key))}` for {rar_type} (fields: {known})"
            )
        _check_field(key, raw[key], kind)
    for key in settings.required_fields:
        if key not in raw:
            raise InvalidDetail(f"`{key}` is required for {rar_type}")
    size = len(msgspec.json.encode(dict(raw)))
    if size > settings.max_detail_bytes:
        raise InvalidDetail(
            f"the {rar_type} object is {size} bytes; at most {settings.max_detail_bytes}"
        )
    return RequestedDetail(**shared)


def agency_fields(detail: RequestedDetail) -> dict[str, object]:
    """The agency's own fields of a request, as sent: what the token echoes."""
    return {key: value for key, value in detail.raw.items() if key not in SHARED_FIELDS}


__all__ = ["agency_fields", "parse_register_detail"]
