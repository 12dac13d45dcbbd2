"""The RAR fields every organisation-answering type shares, parsed the same way by every
source: `organizationform` and the three flags. Plugin authors use these too, so a
client sees the same rules and messages whichever register owns its type.

Requested objects come from clients we do not control, so every rejection names the
field and what was expected, and never echoes more than a short excerpt of the input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from authz_sources.errors import InvalidDetail
from authz_sources.types import OrganizationForm

SHARED_FLAGS = (
    "allow_multiple_organizations",
    "allow_deleted_organizations",
    "representation_is_required",
)
SHARED_FIELDS = frozenset({"type", "organizationform", *SHARED_FLAGS})
_JSON_TYPE_NAMES = {
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
    type(None): "null",
}


def json_type(value: object) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def excerpt(value: str, limit: int = 60) -> str:
    """A quoted, shortened rendering of client input."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def parse_flag(raw: Mapping[str, Any], field: str) -> bool:
    """A boolean flag; real clients send "true"/"false" as strings, so those count too."""
    value = raw.get(field, False)
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    if isinstance(value, str):
        raise InvalidDetail(f'`{field}` must be true or false (or "true"/"false")')
    raise InvalidDetail(f"`{field}` must be a boolean, not a JSON {json_type(value)}")


def parse_organizationform(raw: Mapping[str, Any]) -> OrganizationForm | None:
    """`enterprise` (main units), `business` (sub-units) or absent (both)."""
    value = raw.get("organizationform")
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidDetail(f"`organizationform` must be a string, not a JSON {json_type(value)}")
    if value not in ("enterprise", "business"):
        raise InvalidDetail(
            f'`organizationform` must be "enterprise" or "business", not {excerpt(value)}'
        )
    return cast(OrganizationForm, value)
