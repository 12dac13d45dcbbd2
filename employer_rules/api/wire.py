"""`POST /parties` as typed Structs: the HTTP register contract's request with the
optional subject fields of its version 1.1, and the version 1 answer.

Request (docs/employer-rules.md)::

    {"type": "ansattporten:orgno",
     "client_id": "the-asking-service",
     "subject": {"email": "kari@firma.no", "entra_tid": "...", "entra_oid": "...",
                 "groups": ["<guid>", ...], "pid": "..."},
     "detail": {"type": "ansattporten:orgno", ...}}

Members this service does not know are ignored, as the contract allows additions within
a version; the members it reads must have their JSON types.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

ClientId = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=r"^[\x20-\x7e]+$")]


class Subject(msgspec.Struct, frozen=True, kw_only=True):
    """The person: contract 1.1's optional identifiers (all may be absent)."""

    pid: str | None = None
    email: Annotated[str, msgspec.Meta(max_length=512)] | None = None
    entra_tid: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    entra_oid: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    groups: list[Annotated[str, msgspec.Meta(max_length=64)]] = msgspec.field(default_factory=list)


class PartiesRequest(msgspec.Struct, frozen=True, kw_only=True):
    type: str
    client_id: ClientId
    """The service the person is logging in to (contract 1.1)."""
    subject: Subject
    detail: dict[str, Any]


class WireParty(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One organisation, in the contract's version 1 answer form."""

    id: str
    name: str
    unit_type: str = ""
    parent_id: str | None = None
    rights: tuple[str, ...] = ()
    is_deleted: bool = False


class PartiesAnswer(msgspec.Struct, frozen=True, kw_only=True):
    parties: list[WireParty]


class ApiError(msgspec.Struct, frozen=True, kw_only=True):
    """Body of every refusal: an OAuth-style code and a sentence for the operator."""

    error: str
    error_description: str


def org_id(orgno: str) -> str:
    """ISO 6523 form of a Norwegian organisation number."""
    return f"0192:{orgno}"
