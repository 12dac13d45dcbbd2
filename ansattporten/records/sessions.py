"""Isolated sessions: what lets a person log in to the same service again without
authenticating, and what a logout ends.

A browser holds one session cookie; the provider keeps its hash in a `BrowserSession`
(the lifetime and idle timers are the browser's, shared by every service), and under it
one `ClientSession` per service the person authenticated for, each with its own
`Authentication` and `sid`. A service sees only its own: another service's session
never spares the person an authentication there.

A logout ends client sessions; each service registered for back-channel logout gets a
`LogoutDelivery`, a row of the durable queue every instance's worker delivers from.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from ansattporten.records.login import Authentication


class BrowserSession(msgspec.Struct, frozen=True, kw_only=True):
    """One browser's session cookie, held by its hash. The cookie's value changes at
    every authentication (`cookie_hash` with it); `id` stays."""

    id: str
    cookie_hash: str
    person_hash: str
    """The hash of the person's stable identifier: a browser session belongs to one
    person, and someone else authenticating in the same browser starts a new one."""
    created_at: float
    last_active_at: float
    """The last authentication or silent login under it (the idle timer)."""
    expires_at: float
    """`created_at` plus the session lifetime: the absolute end."""


class ClientSession(msgspec.Struct, frozen=True, kw_only=True):
    """One service's isolated session inside a browser session."""

    sid: str
    """The session id the service sees (`sid` in id_tokens, logout tokens and
    front-channel logout requests)."""
    browser_session_id: str
    client_id: str
    sub: str
    """The person's pairwise `sub` at this service, for its logout token."""
    authentication: Authentication
    """Who authenticated, with which eID, `acr`, `amr` and `auth_time`, whatever eID
    it was: a silent login repeats it."""
    created_at: float
    expires_at: float
    """The browser session's absolute end, copied so expired rows can be purged alone."""


class LiveSession(msgspec.Struct, frozen=True, kw_only=True):
    """A browser session that is alive, and this service's session in it (if any)."""

    browser: BrowserSession
    client: ClientSession | None


class SessionOpening(msgspec.Struct, frozen=True, kw_only=True):
    """What an authentication writes besides moving its login on: the browser's session
    (the live one it presented, under a new cookie value, or a fresh one) and this
    service's client session in it, replacing any earlier one of the same service."""

    fresh: BrowserSession
    """The browser session with the new cookie value: used as it is when there is no
    live session to continue (or another authentication in this browser rotated it
    first); otherwise only its `cookie_hash` and `last_active_at` are."""
    continues: BrowserSession | None
    """The live browser session the browser presented, as read (its current cookie
    hash): continued only if it still has that hash."""
    client: ClientSession
    """Its `browser_session_id` and `expires_at` are set by the store to the browser
    session's it joins."""


DeliveryState = Literal["pending", "delivered", "failed"]


class LogoutDelivery(msgspec.Struct, frozen=True, kw_only=True):
    """One back-channel logout request to send to one service: a row of the durable
    queue. A worker claims it (`claim`, until `claimed_until`), sends it once, and records
    what happened; a failed attempt is tried again at `next_attempt_at` while attempts
    remain (`backchannel_logout_retries`), then the row stays `failed`."""

    id: str
    """Also the logout token's `jti`."""
    client_id: str
    uri: str
    """The service's `backchannel_logout_uri` when the logout happened."""
    sub: str
    sid: str
    created_at: float
    next_attempt_at: float
    attempts: int = 0
    state: DeliveryState = "pending"
    claim: str | None = None
    claimed_until: float | None = None
    last_outcome: str | None = None
    """What the last attempt got: `status 200`, `status 500`, `timeout`, `connect error`..."""
    finished_at: float | None = None
