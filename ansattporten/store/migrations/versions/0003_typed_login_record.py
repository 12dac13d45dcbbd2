"""typed login record: split the registers' answer from the failure, typed claims

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 09:30:00

What changes, and what happens to rows already there:

- `interactions`: `lookup` held either the registers' answer or the error a failed
  login returns with; it becomes `offer` and `failure`. `pid`, `acr`, `amr` and
  `auth_time` become one `authentication` record, whose person need not have a
  Norwegian number. `request` now holds the requested details as parsed by their
  sources, which old rows do not have, so logins in progress are deleted: their
  browsers get "unknown login" and start again (a login lives at most 15 minutes).
- `pushed_requests.params` becomes `request` (the validated request, typed); pushed
  requests live 90 seconds and are deleted for the same reason.
- `authorization_codes.claims` and `grants.claims` are rewritten in the typed shape
  (the person's identifiers under `person`). A grant's `requested`/`chosen` move to
  `grants.choice`; old grants that carry them hold the details unparsed, which a
  refresh that asks the registers again cannot use, so those grants are revoked (fail
  closed: the service logs the person in again). Grants without claims were never
  refreshable and are revoked too.
- `audit_records.pid` may be empty (a person without a Norwegian number).
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CODES = sa.table(
    "authorization_codes", sa.column("code_hash", sa.String), sa.column("claims", sa.JSON)
)
GRANTS = sa.table(
    "grants",
    sa.column("id", sa.String),
    sa.column("claims", sa.JSON),
    sa.column("choice", sa.JSON),
    sa.column("revoked_at", sa.Float),
)
GRANT_CLAIMS = ("sub", "acr", "amr", "auth_time", "scope", "locale")


def upgrade() -> None:
    op.execute("DELETE FROM interactions")
    op.execute("DELETE FROM pushed_requests")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        for column in ("pid", "acr", "amr", "auth_time", "lookup"):
            batch_op.drop_column(column)
        batch_op.add_column(sa.Column("authentication", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("offer", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("failure", sa.String(length=40), nullable=True))
    with op.batch_alter_table("pushed_requests", schema=None) as batch_op:
        batch_op.alter_column("params", new_column_name="request")
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("choice", sa.JSON(), nullable=True))
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.alter_column("pid", existing_type=sa.String(length=11), nullable=True)
    _rewrite_claims()


def _typed(claims: dict[str, Any]) -> dict[str, Any]:
    typed = {key: claims[key] for key in GRANT_CLAIMS if key in claims}
    typed["person"] = {"pid": claims["pid"]} if claims.get("pid") else {}
    return typed


def _rewrite_claims() -> None:
    bind = op.get_bind()
    for code_hash, claims in bind.execute(sa.select(CODES.c.code_hash, CODES.c.claims)).all():
        typed = _typed(claims)
        typed.update(
            nonce=claims.get("nonce", ""),
            authorization_details=claims.get("authorization_details"),
        )
        bind.execute(CODES.update().where(CODES.c.code_hash == code_hash).values(claims=typed))
    now = time.time()
    for grant_id, claims in bind.execute(sa.select(GRANTS.c.id, GRANTS.c.claims)).all():
        grant = GRANTS.update().where(GRANTS.c.id == grant_id)
        if claims is None or claims.get("requested"):
            bind.execute(grant.where(GRANTS.c.revoked_at.is_(None)).values(revoked_at=now))
        if claims is not None:
            bind.execute(grant.values(claims=_typed(claims)))


def downgrade() -> None:
    op.execute("DELETE FROM interactions")
    op.execute("DELETE FROM pushed_requests")
    op.execute("DELETE FROM authorization_codes")
    op.execute("UPDATE grants SET claims = NULL")
    op.execute("UPDATE audit_records SET pid = '' WHERE pid IS NULL")
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.alter_column("pid", existing_type=sa.String(length=11), nullable=False)
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.drop_column("choice")
    with op.batch_alter_table("pushed_requests", schema=None) as batch_op:
        batch_op.alter_column("request", new_column_name="params")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("failure")
        batch_op.drop_column("offer")
        batch_op.drop_column("authentication")
        batch_op.add_column(sa.Column("lookup", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("auth_time", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("amr", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("acr", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("pid", sa.String(length=11), nullable=True))
