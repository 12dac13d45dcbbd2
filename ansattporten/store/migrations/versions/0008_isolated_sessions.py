"""isolated sessions: browser and client sessions, back-channel logout deliveries

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-09 10:00:00

A browser that authenticated holds a session cookie; `browser_sessions` keeps its hash
and timers, `client_sessions` one isolated session per service under it (who
authenticated, and the `sid` the service sees). A logout queues one row per service
registered for back-channel logout in `logout_deliveries`, which every instance's
worker delivers from and records the outcome in. `interactions.sid` and
`audit_records.sid` name the session a login ran in. New tables and nullable columns
only: rows already there keep working (a login or audit record from before has no sid).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "browser_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("cookie_hash", sa.String(length=64), nullable=False),
        sa.Column("person_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("last_active_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("browser_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_browser_sessions_cookie_hash", ["cookie_hash"], unique=True)
        batch_op.create_index(
            batch_op.f("ix_browser_sessions_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "client_sessions",
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("browser_session_id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("sub", sa.String(length=64), nullable=False),
        sa.Column("authentication", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("sid"),
    )
    with op.batch_alter_table("client_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_client_sessions_browser_session_id"),
            ["browser_session_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_client_sessions_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "logout_deliveries",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("sub", sa.String(length=64), nullable=False),
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("next_attempt_at", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("claim", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", sa.Float(), nullable=True),
        sa.Column("last_outcome", sa.String(length=200), nullable=True),
        sa.Column("finished_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("logout_deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_due", ["state", "next_attempt_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_logout_deliveries_created_at"), ["created_at"], unique=False
        )

    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sid", sa.String(length=64), nullable=True))
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sid", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.drop_column("sid")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("sid")
    op.drop_table("logout_deliveries")
    op.drop_table("client_sessions")
    op.drop_table("browser_sessions")
