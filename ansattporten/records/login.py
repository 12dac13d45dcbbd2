"""One login, from /authorize to the code: the typed record every step reads and moves on.

A login is at one stage: "login" (waiting for the eID), "choose" (authenticated, at the
organisation picker), then "done" (a code was issued) or "failed" (the client learns
`failure`). A login for a service the browser already has a live session with starts at
"choose", with the session's authentication (`records.sessions`).
"""

from __future__ import annotations

from typing import Literal

import msgspec

from ansattporten.records.request import AuthorizationRequest
from authz_sources.types import Party

Stage = Literal["login", "choose", "done", "failed"]


class Person(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Who logged in, with whatever identifiers their eID gives.

    A Norwegian eID gives the national identity number (`pid`); an eIDAS or Entra ID
    login may give none and carry other identifiers instead, so every field is optional.
    `pid` is personal data: it goes into tokens and the audit record, never into logs."""

    pid: str | None = None
    eidas_person_identifier: str | None = None
    email: str | None = None
    entra_tid: str | None = None
    """Entra ID tenant id; with `entra_oid`, the person's stable identity there."""
    entra_oid: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    birthdate: str | None = None
    """ISO 8601 date, as OpenID Connect's `birthdate`."""
    groups: tuple[str, ...] = ()

    @property
    def stable_id(self) -> str:
        """The identifier the pairwise `sub` is derived from: the same person through the
        same eID gets the same `sub` at a service every time."""
        if self.pid:
            return self.pid
        if self.eidas_person_identifier:
            return f"eidas:{self.eidas_person_identifier}"
        if self.entra_tid and self.entra_oid:
            return f"entra:{self.entra_tid}:{self.entra_oid}"
        if self.email:
            return f"email:{self.email.casefold()}"
        raise ValueError("the person has no identifier to derive a subject from")


class Authentication(msgspec.Struct, frozen=True, kw_only=True):
    """The person, which eID vouched for them, and how well (OIDC `acr`, `amr`)."""

    person: Person
    eid: str
    acr: str
    amr: tuple[str, ...]
    auth_time: int


class SourceTiming(msgspec.Struct, frozen=True):
    """How one register answered, for the audit record and metrics."""

    source: str
    type: str
    ms: float
    outcome: str


class Offer(msgspec.Struct, frozen=True, kw_only=True):
    """What the registers answered before the picker: eligible parties per requested
    object (in the request's order) and the timing of each call. The choice is always
    checked against it and then re-checked with the registers."""

    parties: tuple[tuple[Party, ...], ...]
    timings: tuple[SourceTiming, ...]

    def offered(self) -> list[Party]:
        """The union over all objects, one entry per organisation number; a party
        selectable under any object is selectable."""
        merged: dict[str, Party] = {}
        for parties in self.parties:
            for party in parties:
                known = merged.get(party.orgno)
                if known is None or (party.selectable and not known.selectable):
                    merged[party.orgno] = party
        return list(merged.values())

    def selectable(self) -> list[Party]:
        return [party for party in self.offered() if party.selectable]


class FailurePage(msgspec.Struct, frozen=True, kw_only=True):
    """The page a failed login showed: kept with the login so that switching language
    on it shows the same page again in the new language."""

    message_key: str
    status: int
    message_args: dict[str, str] = msgspec.field(default_factory=dict)


class Login(msgspec.Struct, frozen=True, kw_only=True):
    """A login transaction, bound to the browser that started it."""

    id: str
    client_id: str
    browser_hash: str
    """The hash of the browser's cookie (`ids.hashed`)."""
    csrf_token: str
    stage: Stage
    created_at: float
    expires_at: float
    request: AuthorizationRequest
    authentication: Authentication | None = None
    """Set when the stage moves from "login" to "choose" (or straight to "done")."""
    offer: Offer | None = None
    """What the registers answered, kept so that searching the picker does not ask
    them again."""
    failure: str | None = None
    """A failed login: the OAuth error code the client is sent back with."""
    failure_page: FailurePage | None = None
    """A failed login: the page the person was shown."""
    sid: str | None = None
    """The isolated session this login authenticated in (or was silently continued
    from): set together with `authentication`."""
