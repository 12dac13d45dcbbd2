"""The end of a login on PostgreSQL, sent as one statement instead of six.

`operations.finish_interaction` marks the login done and inserts the grant, the code and
the audit record in a transaction: BEGIN, an UPDATE, three INSERTs and COMMIT. On SQLite
those run in-process in microseconds. On PostgreSQL each is a network round trip, and
under load each round trip is one more wait behind every request the event loop has
ready. That wait landed on the picker step, which the person sees.

PostgreSQL can do the same work in one statement, with data-modifying CTEs:

    WITH done AS (UPDATE interactions SET stage='done'
                  WHERE id=$1 AND stage=$2 RETURNING interactions.id),
         row0 AS (INSERT INTO grants (...) SELECT $3, ... FROM done),
         row1 AS (INSERT INTO authorization_codes (...) SELECT ... FROM done),
         row2 AS (INSERT INTO audit_records (...) SELECT ... FROM done)
    SELECT count(*) FROM done

One statement is atomic by itself, so it runs without BEGIN and COMMIT. Each INSERT reads
its one row `FROM done`, so when the login is not at `from_stage` (a double-submitted
form, a replay) the UPDATE matches nothing and nothing is inserted. If an INSERT fails,
the whole statement fails and nothing is written. The answer is the same as the
transaction's: True when this call finished the login.

SQLite supports neither data-modifying CTEs nor UPDATE in a WITH clause, and needs
none of this, so the store uses this only on PostgreSQL.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection, Select, Table, bindparam, func, insert, select, update

from ansattporten.store.operations import INTERACTIONS, insertable_values

Shape = tuple[tuple[str, tuple[str, ...]], ...]
"""Per row to insert: its table and the columns it sets."""

_STATEMENTS: dict[Shape, Select[Any]] = {}
"""Built once per shape (with or without an audit record): building a statement and
computing its cache key costs more than PostgreSQL takes to run it."""


def finish_interaction_in_one_statement(
    connection: Connection, interaction_id: str, from_stage: str, rows: tuple[Any, ...]
) -> bool:
    parameters: dict[str, Any] = {"interaction": interaction_id, "from_stage": from_stage}
    shape: list[tuple[str, tuple[str, ...]]] = []
    for index, row in enumerate(rows):
        values = insertable_values(row)
        shape.append((cast(Table, row.__table__).name, tuple(values)))
        parameters.update({f"row{index}_{key}": value for key, value in values.items()})
    key = tuple(shape)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = _build(rows, key)
    return bool(connection.execute(statement, parameters).scalar_one() == 1)


def _build(rows: tuple[Any, ...], shape: Shape) -> Select[Any]:
    done = (
        update(INTERACTIONS)
        .where(
            INTERACTIONS.c.id == bindparam("interaction"),
            INTERACTIONS.c.stage == bindparam("from_stage"),
        )
        .values(stage="done")
        .returning(INTERACTIONS.c.id)
        .cte("done")
    )
    inserts = []
    for index, (row, (_, keys)) in enumerate(zip(rows, shape, strict=True)):
        table = cast(Table, row.__table__)
        columns = [table.c[key] for key in keys]
        source = select(
            *(bindparam(f"row{index}_{column.key}", type_=column.type) for column in columns)
        ).select_from(done)
        inserts.append(insert(table).from_select(list(keys), source).cte(f"row{index}"))
    return select(func.count().label("finished")).select_from(done).add_cte(*inserts)
