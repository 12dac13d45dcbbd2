"""failure page: what a failed login showed, so it can be shown again

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 11:10:00

A login that ends without a code shows a page (a register did not answer, no
organisation to represent, a health approval missing). The person may switch language on
that page, so the page is kept with the login as `failure_page` (its message key, HTTP
status and message arguments) and rendered again in the new language. Nullable: logins
that failed before this keep working and show a generic page on a switch.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failure_page", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("failure_page")
