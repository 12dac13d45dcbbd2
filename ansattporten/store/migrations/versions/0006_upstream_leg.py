"""upstream leg: a login sent on to an upstream eID, waiting for its answer

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-09 10:00:00

A login brokered through an upstream OpenID provider (ID-porten, Entra ID) keeps what
the callback checks: the hash of the `state` it sent (`upstream_state`, cleared when the
answer is taken, so a state works once) and the rest of the leg (`upstream`: the eID,
nonce, PKCE verifier, the issuer the answer must come from). Nullable: TestID logins and
logins begun before this have none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("upstream_state", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("upstream", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("upstream")
        batch_op.drop_column("upstream_state")
