"""Value types shared by every source and by the provider."""

from __future__ import annotations

from typing import Literal

import msgspec

from authz_sources.errors import MissingIdentifier

OrganizationForm = Literal["enterprise", "business"]


IDENTIFIERS = ("pid", "eidas_person_identifier", "email", "entra_oid", "groups")
"""What a register may know a person by (`Subject` fields; `entra_oid` stands for the
Entra ID tenant and object id together). A source names those it can use in its
`identifiers` attribute."""


class Subject(msgspec.Struct, frozen=True, kw_only=True):
    """The authenticated person a lookup is about, with whatever identifiers the eID
    gave: a Norwegian eID gives `pid`; an eIDAS login `eidas_person_identifier` (and
    `pid` when the population register matched the person); an Entra ID login the
    tenant and object id (`entra_tid`, `entra_oid`), `groups` and, where Microsoft
    vouches for its domain, `email`.

    Every identifier is personal data: sources must never log them. `client_id` lets a
    register answer per service; `eid` names the eID the person logged in with.
    """

    client_id: str
    pid: str | None = None
    """Norwegian national identity number (11 digits: fødselsnummer or D-number)."""
    locale: str = "nb"
    acr: str = "idporten-loa-substantial"
    eid: str = ""
    eidas_person_identifier: str | None = None
    email: str | None = None
    entra_tid: str | None = None
    entra_oid: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    birthdate: str | None = None
    groups: tuple[str, ...] = ()

    def has(self, identifier: str) -> bool:
        """Whether the person carries `identifier` (one of `IDENTIFIERS`)."""
        if identifier == "entra_oid":
            return bool(self.entra_tid and self.entra_oid)
        return bool(getattr(self, identifier, None))

    def answerable_by(self, identifiers: tuple[str, ...]) -> bool:
        """Whether a register that knows people by `identifiers` can look them up."""
        return any(self.has(identifier) for identifier in identifiers)

    def require_pid(self) -> str:
        """The national identity number, for registers that know people only by it
        (the provider asks them only about people who have one)."""
        if not self.pid:
            raise MissingIdentifier("the person has no Norwegian national identity number")
        return self.pid


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
