"""answers kept for retries: a finished login's code, a redemption's tokens

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 12:00:00

A step that took effect but whose answer was lost (an instance stopped mid-response, a
connection dropped) is retried by the browser or the client. So that the retry gets the
answer of the first time instead of an error (or a revoked grant), each step keeps its
answer for a short while, sealed with the secret the retry presents again
(`flows/sealed_answers.py`): a finished login its code (`interactions.response`, sealed
with the browser's cookie), a redeemed code or a traded refresh token its token
response (`response`, sealed with the code or the refresh token). A pushed request
remembers the login it started (`pushed_requests.login_id`), so a retried /authorize of
the same browser finds its login again. All nullable: rows from before have none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ANSWERS = ("interactions", "authorization_codes", "refresh_tokens")


def upgrade() -> None:
    for table in ANSWERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("response", sa.Text(), nullable=True))
    with op.batch_alter_table("pushed_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("login_id", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pushed_requests", schema=None) as batch_op:
        batch_op.drop_column("login_id")
    for table in ANSWERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("response")
