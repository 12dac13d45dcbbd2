"""DPoP: the key a code and a refresh token are bound to

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 12:00:00

A code may be bound to a DPoP key (RFC 9449 10: `dpop_jkt`, or a proof at PAR), and a
public client's refresh token is bound to the key of the proof it was issued with
(RFC 9449 5, as ID-porten does). The key's thumbprint (43 characters) is kept with the
code and the token; NULL means unbound, which every existing row is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("authorization_codes", "refresh_tokens"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("dpop_jkt", sa.String(length=64), nullable=True))


def downgrade() -> None:
    for table in ("authorization_codes", "refresh_tokens"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("dpop_jkt")
