"""Value types shared by every source and by the provider."""

from __future__ import annotations

from typing import Literal

import msgspec

OrganizationForm = Literal["enterprise", "business"]


class Subject(msgspec.Struct, frozen=True, kw_only=True):
    """The authenticated person a lookup is about.

    `pid` is the national identity number (11 digits); it is personal data, so sources
    must never log it. `client_id` lets a register answer per service.
    """

    pid: str
    client_id: str
    locale: str = "nb"
    acr: str = "idporten-loa-substantial"


class Party(msgspec.Struct, frozen=True, kw_only=True):
    """An organisation the person may act for, as the register says.

    `selectable` is false for a parent that is listed only to show the hierarchy of its
    sub-units (Altinn's `onlyHierarchyElementWithNoAccess`). `rights` are what the
    register says stands behind the party for this request (resource ids, actions,
    register-specific rights); the provider shows them and stores them in the audit.
    """

    orgno: str
    name: str
    unit_type: str = ""
    parent_orgno: str | None = None
    is_deleted: bool = False
    selectable: bool = True
    rights: tuple[str, ...] = ()


class RequestedDetail(msgspec.Struct, frozen=True, kw_only=True):
    """Fields every organisation-answering RAR type shares (spec 4, "shared fields").

    A source subclasses this with its own fields; `raw` keeps the object exactly as the
    client sent it, for sources that echo request fields into the token.
    """

    type: str
    organizationform: OrganizationForm | None = None
    allow_multiple_organizations: bool = False
    allow_deleted_organizations: bool = False
    representation_is_required: bool = False
    raw: dict[str, object] = msgspec.field(default_factory=dict)
