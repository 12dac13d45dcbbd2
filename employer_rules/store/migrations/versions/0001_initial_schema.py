"""Initial schema: organisations, rules, audit events, sessions, logins, assertions.

Revision ID: 0001
Revises:
Create Date: 2025-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from employer_rules.store.models import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("orgno", sa.String(9), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("unit_type", sa.String(20), nullable=False),
        sa.Column("parent_orgno", sa.String(9), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "rules",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("orgno", sa.String(9), sa.ForeignKey("organisations.orgno"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("value", sa.String(320), nullable=False),
        sa.Column("client_filter", sa.String(10), nullable=False),
        sa.Column("client_ids", sa.JSON(), nullable=False),
        sa.Column("rights", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(255), nullable=False),
        sa.UniqueConstraint("orgno", "fingerprint", name="uq_rules_orgno_fingerprint"),
    )
    op.create_index("ix_rules_orgno", "rules", ["orgno"])
    op.create_index("ix_rules_kind_value", "rules", ["kind", "value"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor_sub", sa.String(255), nullable=False),
        sa.Column("actor_pid", sa.String(11), nullable=True),
        sa.Column("actor_name", sa.String(200), nullable=True),
        sa.Column("orgno", sa.String(20), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("rule_id", sa.String(32), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_actor_sub", "audit_events", ["actor_sub"])
    op.create_index("ix_audit_events_orgno", "audit_events", ["orgno"])
    op.create_table(
        "admin_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("sub", sa.String(255), nullable=False),
        sa.Column("pid", sa.String(11), nullable=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("organisations", sa.JSON(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("last_seen_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_admin_sessions_expires_at", "admin_sessions", ["expires_at"])
    op.create_table(
        "pending_logins",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(128), nullable=False),
        sa.Column("nonce", sa.String(128), nullable=False),
        sa.Column("code_verifier", sa.String(128), nullable=False),
        sa.Column("locale", sa.String(2), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_pending_logins_expires_at", "pending_logins", ["expires_at"])
    op.create_table(
        "used_assertions",
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_used_assertions_expires_at", "used_assertions", ["expires_at"])


def downgrade() -> None:
    for table in (
        "used_assertions",
        "pending_logins",
        "admin_sessions",
        "audit_events",
        "rules",
        "organisations",
    ):
        op.drop_table(table)
