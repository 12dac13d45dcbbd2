"""The hot-path statements, as plain functions over a synchronous SQLAlchemy Connection.

Each function is one transaction's worth of SQLAlchemy Core. `Store` runs them inline on
SQLite (a local file answers in microseconds, far less than handing the statement to a
driver thread) and through `AsyncConnection.run_sync` on PostgreSQL (asyncpg underneath,
so the event loop keeps serving while the database works).

Statements are built once, with bind parameters: building one and computing its cache
key costs ~150 us per execution, more than SQLite takes to run it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Table, bindparam, case, insert, select, update
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.base import manager_of_class

from ansattporten.store.models import (
    AuthorizationCode,
    Client,
    Grant,
    Interaction,
    PushedRequest,
    RateCounter,
    RefreshToken,
)

M = TypeVar("M")

CLIENTS = cast(Table, Client.__table__)
PUSHED = cast(Table, PushedRequest.__table__)
INTERACTIONS = cast(Table, Interaction.__table__)
GRANTS = cast(Table, Grant.__table__)
CODES = cast(Table, AuthorizationCode.__table__)
REFRESH_TOKENS = cast(Table, RefreshToken.__table__)
RATE_COUNTERS = cast(Table, RateCounter.__table__)

SELECT_CLIENT = select(CLIENTS).where(CLIENTS.c.client_id == bindparam("client_id"))
CONSUME_PUSHED = (
    update(PUSHED)
    .where(
        PUSHED.c.request_uri == bindparam("uri"),
        PUSHED.c.client_id == bindparam("client"),
        PUSHED.c.used.is_(False),
        PUSHED.c.expires_at > bindparam("now"),
    )
    .values(used=True)
    .returning(*PUSHED.c)
)
ADVANCE_INTERACTION = update(INTERACTIONS).where(
    INTERACTIONS.c.id == bindparam("interaction"),
    INTERACTIONS.c.stage == bindparam("from_stage"),
)
"""The columns to set come from the parameters given at execution."""
SELECT_INTERACTION = select(INTERACTIONS).where(INTERACTIONS.c.id == bindparam("id"))
CONSUME_CODE = (
    update(CODES)
    .where(
        CODES.c.code_hash == bindparam("hash"),
        CODES.c.consumed_at.is_(None),
        CODES.c.expires_at > bindparam("now"),
    )
    .values(consumed_at=bindparam("now"))
    .returning(*CODES.c)
)
SELECT_SPENT_CODE = select(CODES.c.grant_id, CODES.c.consumed_at).where(
    CODES.c.code_hash == bindparam("hash")
)
REVOKE_GRANT = (
    update(GRANTS)
    .where(GRANTS.c.id == bindparam("grant"), GRANTS.c.revoked_at.is_(None))
    .values(revoked_at=bindparam("now"))
)
ACTIVE_GRANT = select(GRANTS.c.id).where(
    GRANTS.c.id == bindparam("grant"),
    GRANTS.c.revoked_at.is_(None),
    GRANTS.c.expires_at > bindparam("now"),
)
SELECT_GRANT = select(GRANTS).where(GRANTS.c.id == bindparam("grant"))
SELECT_REFRESH = select(REFRESH_TOKENS).where(REFRESH_TOKENS.c.token_hash == bindparam("hash"))
USE_REFRESH = (
    update(REFRESH_TOKENS)
    .where(
        REFRESH_TOKENS.c.token_hash == bindparam("hash"),
        REFRESH_TOKENS.c.client_id == bindparam("client"),
        REFRESH_TOKENS.c.used_at.is_(None),
        REFRESH_TOKENS.c.expires_at > bindparam("now"),
    )
    .values(used_at=bindparam("now"))
    .returning(REFRESH_TOKENS.c.grant_id)
)
INSERTS = {
    table.name: insert(table) for table in (PUSHED, INTERACTIONS, GRANTS, CODES, REFRESH_TOKENS)
}


def loaded(model: type[M], row: Any) -> M:
    """An ORM object filled from a result row the way SQLAlchemy's own loader fills one:
    a new instance with its instrumentation state, and the values put straight into its
    `__dict__`. Calling the constructor instead runs an attribute event per column, about
    ten times the cost, on every step of every login."""
    manager = _MANAGERS.get(model)
    if manager is None:
        # the constructor would have configured the mappers on first use; without
        # it, attribute access on a fresh process's first loaded row finds no impl
        configure_mappers()
        manager = _MANAGERS[model] = manager_of_class(model)
    record = manager.new_instance()
    record.__dict__.update(cast(Mapping[str, Any], row._mapping))
    return cast(M, record)


_MANAGERS: dict[type, Any] = {}


def values_of(row: Any) -> dict[str, Any]:
    """An ORM object's column values, for a Core INSERT (no session, no unit of work).
    Read from the instance's `__dict__` where set (the attribute descriptors cost more
    than the dictionary); anything unset goes through the attribute as usual."""
    keys = _COLUMN_KEYS.get(type(row))
    if keys is None:
        table = cast(Table, row.__table__)
        keys = _COLUMN_KEYS[type(row)] = tuple(str(column.key) for column in table.columns)
    state = row.__dict__
    return {key: state[key] if key in state else getattr(row, key) for key in keys}


_COLUMN_KEYS: dict[type, tuple[str, ...]] = {}


def insertable_values(row: Any) -> dict[str, Any]:
    """The values an INSERT of `row` sets: all its columns but an unset autoincrement key,
    which is the database's to choose."""
    values = values_of(row)
    if values.get("id") is None:
        values.pop("id", None)
    return values


def insert_rows(connection: Connection, *rows: Any) -> None:
    for row in rows:
        values = insertable_values(row)
        table = cast(Table, row.__table__)
        statement = INSERTS.get(table.name)
        if statement is None:
            statement = INSERTS[table.name] = insert(table)  # built once per table
        connection.execute(statement, values)


def load_client(connection: Connection, client_id: str) -> Client | None:
    row = connection.execute(SELECT_CLIENT, {"client_id": client_id}).first()
    return None if row is None else loaded(Client, row)


def consume_pushed(
    connection: Connection, request_uri: str, client_id: str, now: float
) -> PushedRequest | None:
    row = connection.execute(
        CONSUME_PUSHED, {"uri": request_uri, "client": client_id, "now": now}
    ).first()
    return None if row is None else loaded(PushedRequest, row)


def load_interaction(connection: Connection, interaction_id: str) -> Interaction | None:
    row = connection.execute(SELECT_INTERACTION, {"id": interaction_id}).first()
    return None if row is None else loaded(Interaction, row)


def advance_interaction(
    connection: Connection, interaction_id: str, from_stage: str, values: dict[str, Any]
) -> bool:
    parameters = {"interaction": interaction_id, "from_stage": from_stage, **values}
    return connection.execute(ADVANCE_INTERACTION, parameters).rowcount == 1


def finish_interaction(
    connection: Connection, interaction_id: str, from_stage: str, rows: tuple[Any, ...]
) -> bool:
    if not advance_interaction(connection, interaction_id, from_stage, {"stage": "done"}):
        connection.rollback()
        return False
    insert_rows(connection, *rows)
    return True


def revoke_grant(connection: Connection, grant_id: str, now: float) -> None:
    connection.execute(REVOKE_GRANT, {"grant": grant_id, "now": now})


def claim_code(connection: Connection, code_hash: str, now: float) -> AuthorizationCode | None:
    """The redemption itself: one conditional UPDATE, so exactly one caller wins."""
    won = connection.execute(CONSUME_CODE, {"hash": code_hash, "now": now}).first()
    return None if won is None else loaded(AuthorizationCode, won)


def revoke_if_spent(connection: Connection, code_hash: str, now: float) -> None:
    """After a lost claim: if the code exists and was already redeemed, its grant is
    revoked. Revoking is idempotent, so this needs no atomicity with the claim."""
    lost = connection.execute(SELECT_SPENT_CODE, {"hash": code_hash}).first()
    if lost is not None and lost.consumed_at is not None:
        revoke_grant(connection, lost.grant_id, now)


def grant_is_active(connection: Connection, grant_id: str, now: float) -> bool:
    found = connection.execute(ACTIVE_GRANT, {"grant": grant_id, "now": now}).first()
    return found is not None


def load_grant(connection: Connection, grant_id: str) -> Grant | None:
    row = connection.execute(SELECT_GRANT, {"grant": grant_id}).first()
    return None if row is None else loaded(Grant, row)


def load_refresh_token(connection: Connection, token_hash: str) -> RefreshToken | None:
    row = connection.execute(SELECT_REFRESH, {"hash": token_hash}).first()
    return None if row is None else loaded(RefreshToken, row)


def rotate_refresh_token(
    connection: Connection, token_hash: str, client_id: str, successor: RefreshToken, now: float
) -> Grant | None:
    used = connection.execute(
        USE_REFRESH, {"hash": token_hash, "client": client_id, "now": now}
    ).first()
    if used is None:
        old = load_refresh_token(connection, token_hash)
        if old is not None and old.used_at is not None and old.client_id == client_id:
            revoke_grant(connection, old.grant_id, now)
        return None
    grant = load_grant(connection, used.grant_id)
    if grant is None or grant.revoked_at is not None or grant.expires_at <= now:
        return None
    successor.grant_id = grant.id
    successor.expires_at = min(successor.expires_at, grant.expires_at)  # never past the grant
    insert_rows(connection, successor)
    return grant


def count_hits(connection: Connection, key: str, window: int, hits: int) -> int:
    statement = _COUNT_HITS.get(connection.dialect.name)
    if statement is None:
        statement = _COUNT_HITS[connection.dialect.name] = _count_hits(connection.dialect.name)
    parameters = {"key": key, "window": window, "count": hits, "w": window, "h": hits}
    return int(connection.execute(statement, parameters).scalar_one())


_COUNT_HITS: dict[str, Any] = {}


def _count_hits(dialect: str) -> Any:
    """INSERT ... ON CONFLICT DO UPDATE, in the dialect's own spelling."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert_into
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert_into  # type: ignore[assignment]
    upsert = upsert_into(RATE_COUNTERS)
    window: Any = bindparam("w")
    hits: Any = bindparam("h")
    return upsert.on_conflict_do_update(
        index_elements=[RATE_COUNTERS.c.key],
        set_={
            "count": case(
                (RATE_COUNTERS.c.window == window, RATE_COUNTERS.c.count + hits), else_=hits
            ),
            "window": window,
        },
    ).returning(RATE_COUNTERS.c.count)
