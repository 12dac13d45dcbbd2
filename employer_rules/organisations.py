"""Organisations the service can name: number, name, unit type and, for a sub-unit, its
main unit. Loaded from a JSON file at start and completed by administrators' tokens.

File format::

    {"organisations": [
      {"orgno": "314663799", "name": "UGJENNOMSIKTIG TRIVELIG HVAL AS", "unit_type": "AS"},
      {"orgno": "313094545", "name": "SMIDIG SPENSTIG KRÅKE", "unit_type": "BEDR",
       "parent_orgno": "314663799"},
      {"orgno": "...", "name": "...", "unit_type": "AS", "is_deleted": true}
    ]}
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, TypeVar

import msgspec

from employer_rules.orgno import is_valid_orgno

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
UnitType = Annotated[str, msgspec.Meta(max_length=20)]
T = TypeVar("T")
SUB_UNIT_TYPES = frozenset({"BEDR", "AAFY"})
"""Brønnøysund forms of sub-units (underenheter)."""


class Organisation(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    orgno: str
    name: Name
    unit_type: UnitType = ""
    parent_orgno: str | None = None
    is_deleted: bool = False

    def __post_init__(self) -> None:
        for value in (self.orgno, self.parent_orgno):
            if value is not None and not is_valid_orgno(value):
                raise ValueError(f"{value!r} is not an organisation number (mod 11)")

    @property
    def is_sub_unit(self) -> bool:
        return self.parent_orgno is not None or self.unit_type in SUB_UNIT_TYPES


class OrganisationsFile(msgspec.Struct, forbid_unknown_fields=True):
    organisations: list[Organisation]


class FileError(ValueError):
    """A data file cannot be used; the message names the file and the place."""


def read_json_file(path: Path, kind: type[T]) -> T:
    """Decode a JSON file strictly into `kind`, or raise `FileError` naming the file."""
    try:
        return msgspec.json.decode(path.read_bytes(), type=kind)
    except OSError as exc:
        raise FileError(f"cannot read {path}: {exc.strerror}") from exc
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise FileError(f"{path}: {exc}") from exc


def load_organisations(path: Path) -> list[Organisation]:
    found = read_json_file(path, OrganisationsFile).organisations
    numbers = [organisation.orgno for organisation in found]
    if len(set(numbers)) != len(numbers):
        raise FileError(f"{path}: an organisation number is listed twice")
    return found
