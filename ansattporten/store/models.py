"""Database tables. Every step of a login reads and writes these, never process memory,
so any instance can serve the next request of a login.

Secrets and one-time values (client secrets, codes, the browser-binding cookie) are
stored as hashes; the row is found by hashing what the caller presents.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}

    def __init__(self, **values: Any) -> None:
        """Column values go straight into the instance's dictionary, as SQLAlchemy's own
        loader fills a row. The default constructor sets them one attribute event at a
        time (~15 us for a row of a dozen columns), and every login builds half a dozen
        rows. A session still inserts such an object from that dictionary, and a later
        assignment is tracked as usual."""
        for name in values:
            if not hasattr(type(self), name):
                raise TypeError(
                    f"{name!r} is an invalid keyword argument for {type(self).__name__}"
                )
        self.__dict__.update(values)


class Client(Base):
    __tablename__ = "clients"

    client_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    secret_hash: Mapped[str | None] = mapped_column(String(200))
    auth_method: Mapped[str] = mapped_column(String(40))
    metadata_json: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Redirect URIs, scopes, grant types, name, keys: everything but the secret."""
    updated_at: Mapped[float] = mapped_column(Float)


class SigningKey(Base):
    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    alg: Mapped[str] = mapped_column(String(10))
    private_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float)
    activate_at: Mapped[float] = mapped_column(Float)
    """When it starts signing; published in the JWKS from `created_at` on."""
    retire_at: Mapped[float | None] = mapped_column(Float)
    """When it stops being published (tokens it signed have expired by then)."""


class InstanceSecret(Base):
    """Secrets every instance must share (the pairwise `sub` key), created once."""

    __tablename__ = "instance_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class PushedRequest(Base):
    __tablename__ = "pushed_requests"

    request_uri: Mapped[str] = mapped_column(String(200), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    expires_at: Mapped[float] = mapped_column(Float)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class Interaction(Base):
    """One login transaction, from /authorize to the code. Authentication lives here and
    nowhere else: that is what "no SSO" means in this provider."""

    __tablename__ = "interactions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    browser_hash: Mapped[str] = mapped_column(String(64))
    csrf_token: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str] = mapped_column(String(200))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The validated authorization request (redirect_uri, state, nonce, PKCE, RAR ...)."""
    stage: Mapped[str] = mapped_column(String(20))
    """"login" -> "choose" -> "done" (or "failed")."""
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)
    pid: Mapped[str | None] = mapped_column(String(11))
    acr: Mapped[str | None] = mapped_column(String(40))
    amr: Mapped[list[Any] | None] = mapped_column(JSON)
    auth_time: Mapped[int | None] = mapped_column(BigInteger)
    lookup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """What the registers answered for the picker, kept for display and audit only; the
    choice is always re-checked against the register."""


class AuthorizationCode(Base):
    __tablename__ = "authorization_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200))
    grant_id: Mapped[str] = mapped_column(String(64))
    redirect_uri: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(64))
    claims: Mapped[dict[str, Any]] = mapped_column(JSON)
    """What the tokens will say: sub, pid, acr, amr, auth_time, nonce, scope, locale,
    authorization_details."""
    expires_at: Mapped[float] = mapped_column(Float)
    consumed_at: Mapped[float | None] = mapped_column(Float)


class Grant(Base):
    """What one login granted one client; tokens point at it so revoking it revokes them."""

    __tablename__ = "grants"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200))
    sub: Mapped[str] = mapped_column(String(64))
    authorization_details: Mapped[list[Any] | None] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)
    revoked_at: Mapped[float | None] = mapped_column(Float)
    claims: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """What refreshed tokens repeat: pid, acr, amr, auth_time, scope, locale."""


class AuditRecord(Base):
    """One login that used representation: who, for which client, what was offered and
    chosen, which register answered and how fast. Never tokens or codes."""

    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[float] = mapped_column(Float)
    pid: Mapped[str] = mapped_column(String(11))
    client_id: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(40))
    offered: Mapped[list[Any]] = mapped_column(JSON)
    chosen: Mapped[list[Any]] = mapped_column(JSON)
    sources: Mapped[list[Any]] = mapped_column(JSON)


class RefreshToken(Base):
    """One refresh token, stored hashed; `used_at` is set when it is rotated away. A used
    token presented again means it leaked: the whole grant is revoked."""

    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    grant_id: Mapped[str] = mapped_column(String(64), index=True)
    client_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)
    used_at: Mapped[float | None] = mapped_column(Float)


class SeenAssertion(Base):
    """A `private_key_jwt` assertion's jti, remembered until the assertion expires so it
    is never accepted twice."""

    __tablename__ = "seen_assertions"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class RateCounter(Base):
    """A fixed-window request counter shared by every instance."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(Integer)


Index("ix_interactions_expires", Interaction.expires_at)
Index("ix_codes_expires", AuthorizationCode.expires_at)
Index("ix_audit_created", AuditRecord.created_at)
