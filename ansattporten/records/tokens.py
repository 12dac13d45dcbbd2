"""What a finished login leaves behind: the grant, its code, refresh tokens, the audit
record, and a pushed request before it all. Codes and refresh tokens are held by
their hash only (`ids.hashed`)."""

from __future__ import annotations

from typing import Any

import msgspec

from ansattporten.records.login import Person, SourceTiming
from ansattporten.records.request import AuthorizationRequest, Requested


class PushedRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A validated request a client pushed (RFC 9126), usable once at /authorize."""

    request_uri: str
    client_id: str
    request: AuthorizationRequest
    expires_at: float
    used: bool = False
    login_id: str | None = None
    """The login it started: a retried /authorize of the same browser resumes it."""


class GrantClaims(msgspec.Struct, frozen=True, kw_only=True):
    """What every token of one login says about the person; a refresh repeats it."""

    sub: str
    """Pairwise: the same person gets a different `sub` at each service."""
    person: Person
    acr: str
    amr: tuple[str, ...]
    auth_time: int
    scope: str
    locale: str
    sid: str | None = None
    """The isolated session of the login: in the id_token for services registered for
    it, and how logout finds the session from an id_token_hint."""


class TokenClaims(GrantClaims, frozen=True, kw_only=True):
    """What the code's first tokens say: the grant's claims, the request's nonce and
    what was granted."""

    nonce: str
    authorization_details: list[dict[str, Any]] | None = None


class Choice(msgspec.Struct, frozen=True, kw_only=True):
    """What a refresh needs to ask the registers again (`refresh_rechecks_sources`):
    the request's details and the organisations chosen."""

    requested: tuple[Requested, ...]
    chosen: tuple[str, ...]


class Grant(msgspec.Struct, frozen=True, kw_only=True):
    """What one login granted one client; tokens name it, so revoking it revokes them."""

    id: str
    client_id: str
    claims: GrantClaims
    authorization_details: list[dict[str, Any]] | None
    choice: Choice | None
    """None when the login asked for no representation."""
    created_at: float
    expires_at: float
    revoked_at: float | None = None

    @property
    def sub(self) -> str:
        return self.claims.sub


class Code(msgspec.Struct, frozen=True, kw_only=True):
    """A single-use authorization code, stored by its hash."""

    code_hash: str
    client_id: str
    grant_id: str
    redirect_uri: str
    code_challenge: str
    claims: TokenClaims
    expires_at: float
    consumed_at: float | None = None
    dpop_jkt: str | None = None
    """The DPoP key the request bound the code to (RFC 9449 10): only a proof with that
    key may redeem it."""
    response: str | None = None
    """The token response of its redemption, sealed with the code (`sealed_answers`):
    the same client retrying the same redemption shortly after gets it again."""


class RefreshToken(msgspec.Struct, frozen=True, kw_only=True):
    """One refresh token, stored by its hash; `used_at` is set when it is traded in. A
    used token presented again means it leaked: the whole grant is revoked."""

    token_hash: str
    grant_id: str
    client_id: str
    created_at: float
    expires_at: float
    used_at: float | None = None
    dpop_jkt: str | None = None
    """The DPoP key a public client's token is bound to (RFC 9449 5, as ID-porten does
    for clients without client authentication): only a proof with it may trade it in."""
    response: str | None = None
    """The token response it was traded for, sealed with the token (`sealed_answers`),
    for the same client retrying shortly after."""


class AuditRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One login that used representation: who, for which client, what was offered
    and chosen, which register answered and how fast. Never tokens or codes."""

    created_at: float
    pid: str | None
    client_id: str
    outcome: str
    offered: tuple[str, ...]
    chosen: tuple[str, ...]
    sources: tuple[SourceTiming, ...]
    sid: str | None = None
    """The isolated session the login ran in."""
    id: int | None = None
    """Given by the database."""
