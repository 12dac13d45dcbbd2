"""What every source shares, in one place: plugin authors use it as the built-in sources do.

- The RAR fields every organisation-answering type shares (`organizationform` and the
  three flags), parsed with the same rules and messages, so a client sees the same
  whichever register owns its type (`shared_values`, `check_fields`, `parse_flag` ...).
- The filters those fields ask for (`passes_filters`, `apply_filters`).
- The common shape of a granted object: `authorized_parties` entries naming each
  organisation by its ISO 6523 identifier (`granted_object`), after re-checking the
  choice against the register's fresh answer (`confirm`).
- `SourceBase` and `SourceFactoryBase`: the attributes and the factory every source has.

Requested objects come from clients we do not control, so every rejection names the
field and what was expected, and never echoes more than a short excerpt of the input.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, ClassVar, Generic, Literal, TypeVar, cast

import msgspec

from authz_sources.errors import InvalidDetail
from authz_sources.protocol import AuthzSource
from authz_sources.types import OrganizationForm, Party, RequestedDetail

D = TypeVar("D", bound=RequestedDetail)

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


# the request ---------------------------------------------------------------------------


def check_fields(
    raw: Mapping[str, Any], rar_types: str | Collection[str], allowed: frozenset[str]
) -> str:
    """The object is a JSON object of one of `rar_types` with no field outside `allowed`
    (RFC 9396 wants unknown fields refused). Returns its type."""
    if isinstance(rar_types, str):
        rar_types = (rar_types,)
    if not isinstance(raw, Mapping):
        raise InvalidDetail("an authorization_details entry must be a JSON object")
    rar_type = raw.get("type")
    if not isinstance(rar_type, str) or rar_type not in rar_types:
        names = " or ".join(repr(name) for name in rar_types)
        raise InvalidDetail(f"`type` must be {names}")
    unknown = sorted(str(key) for key in raw if key not in allowed)
    if unknown:
        names = ", ".join(f"`{excerpt(name, 40)[1:-1]}`" for name in unknown[:5])
        raise InvalidDetail(f"{rar_type}: unknown field {names}")
    return rar_type


def required_string(raw: Mapping[str, Any], field: str) -> str:
    """A field that must be present and a string."""
    if field not in raw:
        raise InvalidDetail(f"`{field}` is required")
    value = raw[field]
    if not isinstance(value, str):
        raise InvalidDetail(f"`{field}` must be a string, not a JSON {json_type(value)}")
    return value


def shared_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The shared fields, validated, as keyword arguments for a `RequestedDetail`
    (with `type` and `raw`, the object as sent)."""
    values: dict[str, Any] = {flag: parse_flag(raw, flag) for flag in SHARED_FLAGS}
    values["organizationform"] = parse_organizationform(raw)
    values["type"] = raw["type"]
    values["raw"] = dict(raw)
    return values


# the filters ---------------------------------------------------------------------------

SUB_UNIT_FORMS = frozenset({"BEDR", "AAFY"})
"""Brønnøysund unit types of sub-units (underenheter)."""


def is_sub_unit(party: Party) -> bool:
    """A sub-unit has a parent, or one of the forms only sub-units have."""
    return party.parent_orgno is not None or party.unit_type in SUB_UNIT_FORMS


def passes_filters(detail: RequestedDetail, *, is_sub_unit: bool, is_deleted: bool) -> bool:
    """`organizationform` (`enterprise`: main units, `business`: sub-units) and
    `allow_deleted_organizations`."""
    if detail.organizationform == "enterprise" and is_sub_unit:
        return False
    if detail.organizationform == "business" and not is_sub_unit:
        return False
    return detail.allow_deleted_organizations or not is_deleted


def apply_filters(parties: Sequence[Party], detail: RequestedDetail) -> list[Party]:
    """The parties that pass the request's filters."""
    return [
        party
        for party in parties
        if passes_filters(detail, is_sub_unit=is_sub_unit(party), is_deleted=party.is_deleted)
    ]


# the granted object --------------------------------------------------------------------

ISO6523_AUTHORITY = "iso6523-actorid-upis"
"""The authority of organisation identifiers in tokens (`0192:` + orgno)."""


def organisation_id(orgno: str) -> dict[str, str]:
    return {"authority": ISO6523_AUTHORITY, "ID": f"0192:{orgno}"}


def authorized_party(party: Party) -> dict[str, Any]:
    """One `authorized_parties` entry (the shape of spec 4.1/4.2)."""
    return {
        "orgno": organisation_id(party.orgno),
        "name": party.name,
        "unit_type": party.unit_type,
        "rights": list(party.rights),
    }


def confirm(current: Sequence[Party], chosen: Sequence[Party]) -> list[Party]:
    """The chosen parties the register's fresh answer `current` still offers as
    selectable, as it describes them now (names and rights never come from the
    browser), each once."""
    fresh = {party.orgno: party for party in current if party.selectable}
    return [fresh[orgno] for orgno in dict.fromkeys(p.orgno for p in chosen) if orgno in fresh]


def granted_object(
    detail: RequestedDetail, confirmed: Sequence[Party], **fields: Any
) -> dict[str, Any] | None:
    """The object for `authorization_details`: the request's type, the source's own
    `fields`, and the confirmed parties; None when none was confirmed (the object is
    then left out of the token)."""
    if not confirmed:
        return None
    return {
        "type": detail.type,
        **fields,
        "authorized_parties": [authorized_party(party) for party in confirmed],
    }


# the source and its factory ------------------------------------------------------------


class SourceBase(Generic[D]):
    """The attributes `AuthzSource` asks for, set from the source's settings, and a
    `check_health`/`aclose` that do nothing (override them when there is a register to
    ask or connections to close)."""

    answers_about: Literal["organisations", "person"] = "organisations"
    identifiers: tuple[str, ...] = ("pid",)
    """What the register knows people by (`types.IDENTIFIERS`); the provider asks it
    only about a person who has at least one of them."""

    def __init__(
        self, name: str, detail_types: Mapping[str, type[D]], *, timeout_ms: float
    ) -> None:
        self.name = name
        self.detail_types: Mapping[str, type[D]] = dict(detail_types)
        self.types: tuple[str, ...] = tuple(detail_types)
        self.timeout_seconds = timeout_ms / 1000

    async def check_health(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


class SourceFactoryBase:
    """An entry point's factory: name the settings Struct and the source class.

    class Factory(SourceFactoryBase):
        settings_type = Settings
        source_type = PermitSource
    """

    settings_type: ClassVar[type[msgspec.Struct]]
    source_type: ClassVar[Callable[..., AuthzSource[Any]]]

    @classmethod
    def create(cls, name: str, settings: msgspec.Struct) -> AuthzSource[Any]:
        """Build the source; it must open no connection until its first call."""
        if not isinstance(settings, cls.settings_type):
            expected = cls.settings_type.__name__
            raise TypeError(f"expected {expected}, got {type(settings).__name__}")
        return cls.source_type(name, settings)
