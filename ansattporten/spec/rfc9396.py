"""RFC 9396 (Rich Authorization Requests): the generic shape of `authorization_details`.

Only the rules common to every type live here (§2: a JSON array of objects, each with a
string `type`), plus the size bounds §12 asks for. Type-specific validation belongs to
the source that owns the type. Error descriptions point at the offending entry by index
and never echo the input back: it may be large, and it may hold personal data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from ansattporten.errors import InvalidAuthorizationDetails

__all__ = [
    "MAX_AUTHORIZATION_DETAILS_BYTES",
    "MAX_AUTHORIZATION_DETAILS_ENTRIES",
    "parse_authorization_details",
    "types_of",
]

MAX_AUTHORIZATION_DETAILS_BYTES = 16384
"""Upper bound on the UTF-8 encoded parameter; it travels in URLs and is stored per login."""

MAX_AUTHORIZATION_DETAILS_ENTRIES = 20
"""Upper bound on entries; each entry can cost a call to an authoritative register."""

_NAME = "authorization_details"


def parse_authorization_details(value: str | None) -> list[dict[str, Any]]:
    """Decode the `authorization_details` parameter into a list of objects.

    None, "" and "[]" all mean "no authorization details" and give `[]`. Anything else
    must be a JSON array of at most `MAX_AUTHORIZATION_DETAILS_ENTRIES` objects, each with
    a non-empty string `type`, within `MAX_AUTHORIZATION_DETAILS_BYTES`; otherwise
    `InvalidAuthorizationDetails` is raised (RFC 9396 §5), naming the entry at fault as in
    `authorization_details[1]: 'type' is required`.
    """
    if not value:
        return []
    try:
        raw = value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidAuthorizationDetails(f"{_NAME} is not valid UTF-8") from error
    if len(raw) > MAX_AUTHORIZATION_DETAILS_BYTES:
        raise InvalidAuthorizationDetails(
            f"{_NAME} is larger than {MAX_AUTHORIZATION_DETAILS_BYTES} bytes"
        )
    try:
        decoded: object = msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError) as error:
        raise InvalidAuthorizationDetails(f"{_NAME} is not valid JSON") from error
    if not isinstance(decoded, list):
        raise InvalidAuthorizationDetails(f"{_NAME} must be a JSON array")
    if len(decoded) > MAX_AUTHORIZATION_DETAILS_ENTRIES:
        raise InvalidAuthorizationDetails(
            f"{_NAME} has more than {MAX_AUTHORIZATION_DETAILS_ENTRIES} entries"
        )
    details: list[dict[str, Any]] = []
    for index, entry in enumerate(decoded):
        where = f"{_NAME}[{index}]"
        if not isinstance(entry, dict):
            raise InvalidAuthorizationDetails(f"{where}: must be a JSON object")
        if "type" not in entry:
            raise InvalidAuthorizationDetails(f"{where}: 'type' is required")
        type_ = entry["type"]
        if not isinstance(type_, str) or not type_:
            raise InvalidAuthorizationDetails(f"{where}: 'type' must be a non-empty string")
        details.append(entry)
    return details


def types_of(details: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The distinct `type` values of `details`, in order of first appearance.

    Used to route each entry to the source that owns its type and to apply rules that
    depend on which types were asked for together (e.g. the acr an eID must reach).
    """
    seen: dict[str, None] = {}
    for detail in details:
        seen[str(detail["type"])] = None
    return tuple(seen)
