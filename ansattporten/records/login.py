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
    """`XX/NO/...`: an eIDAS login's identifier from the issuing country."""
    email: str | None = None
    """Only an address the eID vouches for (Entra ID: a domain-owner verified one)."""
    entra_tid: str | None = None
    """Entra ID tenant id; with `entra_oid`, the person's stable identity there."""
    entra_oid: str | None = None
    name: str | None = None
    """The full name as the eID gives it."""
    given_name: str | None = None
    family_name: str | None = None
    birthdate: str | None = None
    """ISO 8601 date, as OpenID Connect's `birthdate`."""
    groups: tuple[str, ...] = ()
    """Entra ID group object ids."""
    eid_subject: str | None = None
    """`<issuer> <sub>` of an upstream that gives none of the identifiers above."""

    @property
    def stable_id(self) -> str:
        """The identifier the pairwise `sub` is derived from: the eID's own stable
        identifier for the person, so the same person through the same eID gets the same
        `sub` at a service every time. An eIDAS login keeps its eIDAS identifier even when
        matched to a Norwegian number, as ID-porten does: a match found later (or lost)
        does not change the `sub`."""
        if self.eidas_person_identifier:
            return f"eidas:{self.eidas_person_identifier}"
        if self.pid:
            return self.pid
        if self.entra_tid and self.entra_oid:
            return f"entra:{self.entra_tid}:{self.entra_oid}"
        if self.eid_subject:
            return f"eid:{self.eid_subject}"
        raise ValueError("the person has no identifier to derive a subject from")

    @property
    def full_name(self) -> str | None:
        """`name` as given, else the given and family names joined."""
        if self.name:
            return self.name
        parts = [part for part in (self.given_name, self.family_name) if part]
        return " ".join(parts) or None


class UpstreamLeg(msgspec.Struct, frozen=True, kw_only=True):
    """A login sent on to an upstream eID and not yet back: what its callback checks.

    The `state` sent upstream is kept only as its hash (`ids.hashed`), and it works once:
    the store clears it when the answer is taken. The nonce and the PKCE verifier are
    kept as they are (the callback needs them), for at most the login's lifetime."""

    eid: str
    state_hash: str
    nonce: str
    code_verifier: str
    issuer: str
    """The upstream's issuer when the leg began: what `iss` must say (RFC 9207)."""
    acr_values: tuple[str, ...]
    """The levels the request accepts from this eID."""
    alone: bool
    """The only eID that fits the request: a cancel there goes back to the service."""
    started_at: float


class Authentication(msgspec.Struct, frozen=True, kw_only=True):
    """The person, which eID vouched for them, and how well (OIDC `acr`, `amr`)."""

    person: Person
    eid: str
    acr: str
    amr: tuple[str, ...]
    auth_time: int


NO_IDENTIFIER = "no_identifier"
"""A register's outcome when it was not asked: the person has no identifier it knows
people by (an eIDAS or Entra ID login without a Norwegian number, at Altinn)."""


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

    def unasked(self) -> bool:
        """A register was left out: it cannot look this person up."""
        return any(timing.outcome == NO_IDENTIFIER for timing in self.timings)


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
    response: str | None = None
    """A finished login: its code, sealed with the browser's cookie (`sealed_answers`),
    so the same browser retrying the last step is sent back with the same answer."""

    sid: str | None = None
    """The isolated session this login authenticated in (or was silently continued
    from): set together with `authentication`."""

    upstream: UpstreamLeg | None = None
    """Sent on to an upstream eID and waiting for its answer."""

    @property
    def upstream_state(self) -> str | None:
        """The column the store finds a waiting leg by (its state's hash)."""
        return self.upstream.state_hash if self.upstream else None
