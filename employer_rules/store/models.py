"""Tables of the employer-rules service (its own database, never the provider's)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite (which keeps no time
    zone) and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class OrganisationRow(Base):
    """An organisation's display data: from the organisations file and from
    administrators' tokens (Altinn's name and unit type)."""

    __tablename__ = "organisations"

    orgno: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    unit_type: Mapped[str] = mapped_column(String(20), default="")
    parent_orgno: Mapped[str | None] = mapped_column(String(9), nullable=True)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class RuleRow(Base):
    """One employer rule (see `employer_rules.rules`)."""

    __tablename__ = "rules"
    __table_args__ = (
        UniqueConstraint("orgno", "fingerprint", name="uq_rules_orgno_fingerprint"),
        Index("ix_rules_kind_value", "kind", "value"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    orgno: Mapped[str] = mapped_column(ForeignKey("organisations.orgno"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(320))
    client_filter: Mapped[str] = mapped_column(String(10))
    client_ids: Mapped[list[str]] = mapped_column(JSON)
    rights: Mapped[list[str]] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    """Hash of the content: the same rule twice for one organisation is refused."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by: Mapped[str] = mapped_column(String(255))


class AuditRow(Base):
    """Every change of a rule, and every refused attempt, kept for good."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor_sub: Mapped[str] = mapped_column(String(255), index=True)
    actor_pid: Mapped[str | None] = mapped_column(String(11), nullable=True)
    """The administrator's national identity number from the token: personal data,
    stored for the record and never shown or logged."""
    actor_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """The administrator's name, when the eID gives one (shown in the change log)."""
    orgno: Mapped[str] = mapped_column(String(20), index=True)
    """The organisation acted on, or the one an attempt named (not always valid)."""
    action: Mapped[str] = mapped_column(String(40))
    rule_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class AdminSessionRow(Base):
    """A logged-in administrator; the browser holds a random value, we its hash."""

    __tablename__ = "admin_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    sub: Mapped[str] = mapped_column(String(255))
    pid: Mapped[str | None] = mapped_column(String(11), nullable=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    organisations: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    """What the token's authorization_details named: orgno, name, unit_type."""
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class PendingLoginRow(Base):
    """A login sent to the provider and not yet back: bound to the browser by the hash
    of a cookie value, used once."""

    __tablename__ = "pending_logins"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(128))
    nonce: Mapped[str] = mapped_column(String(128))
    code_verifier: Mapped[str] = mapped_column(String(128))
    locale: Mapped[str] = mapped_column(String(2))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class UsedAssertionRow(Base):
    """`jti`s of API assertions already accepted, until they expire (replay defence)."""

    __tablename__ = "used_assertions"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
