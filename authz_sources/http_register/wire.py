"""The HTTP register contract, version 1.1, as typed Structs (see docs/http-register.md).

1.1 adds optional identifiers to the subject, for people without a Norwegian number
(eIDAS and Entra ID logins). It is additive: a person with a number is sent exactly as
in version 1, and a register that knows only numbers is never asked about anyone else
(`identifiers` in its settings).

The answer is decoded strictly: unknown fields, wrong JSON types, an `id` that is not
`0192:` plus nine digits, over-long strings and repeated parties all make the answer
malformed, and a malformed answer fails the login closed. Being strict here is what lets
a register's author find a mistake at once instead of in a token.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Final

import msgspec

CONTRACT_VERSION: Final = "1.1"
ORG_ID: Final = re.compile(r"0192:[0-9]{9}")

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
UnitType = Annotated[str, msgspec.Meta(max_length=20)]
Right = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Rights = Annotated[tuple[Right, ...], msgspec.Meta(max_length=100)]


class Subject(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Who the provider asks about: the identifiers the register declared it knows
    people by, those the person has (absent members are left out)."""

    pid: str | None = None
    eidas_person_identifier: str | None = None
    email: str | None = None
    entra_tid: str | None = None
    entra_oid: str | None = None
    groups: tuple[str, ...] = ()


class PartiesRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Body of `POST {base_url}/parties`."""

    type: str
    client_id: str
    """The service the person is logging in to (1.1)."""
    subject: Subject
    detail: dict[str, Any]


class WireParty(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One organisation the person may act for, as the register states it."""

    id: str
    name: Name
    unit_type: UnitType = ""
    rights: Rights = ()
    parent_id: str | None = None
    is_deleted: bool = False

    def __post_init__(self) -> None:
        if not ORG_ID.fullmatch(self.id):
            raise ValueError("id must be 0192: followed by a 9-digit organisation number")
        if self.parent_id is not None and not ORG_ID.fullmatch(self.parent_id):
            raise ValueError("parent_id must be 0192: followed by a 9-digit organisation number")

    @property
    def orgno(self) -> str:
        return self.id.removeprefix("0192:")


class PartiesAnswer(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Body of a 200 answer to `POST {base_url}/parties`."""

    parties: tuple[WireParty, ...]

    def __post_init__(self) -> None:
        ids = [party.id for party in self.parties]
        if len(set(ids)) != len(ids):
            raise ValueError("parties must not list the same id twice")


ANSWER_DECODER: Final = msgspec.json.Decoder(PartiesAnswer)
