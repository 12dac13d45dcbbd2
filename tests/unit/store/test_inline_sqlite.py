"""The plain-sqlite3 runner gives the same answers as SQLAlchemy's Connection for the
hot-path operations, on a real SQLite file, and keeps transactions whole."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from ansattporten.store import operations as op
from ansattporten.store.inline_sqlite import InlineSQLite
from ansattporten.store.models import AuthorizationCode, Interaction, PushedRequest
from ansattporten.store.prepared import Mode, OneStatementBroken

NOW = 1_800_000_000.0


@pytest.fixture
def inline(engine: Engine) -> Iterator[InlineSQLite]:
    with engine.connect():  # the dialect learns the SQLite version, as the store does
        pass
    runner = InlineSQLite(str(engine.url.database), engine.dialect)
    yield runner
    runner.close()


def interaction(**changes: object) -> Interaction:
    values: dict[str, object] = {
        "id": "i-1",
        "browser_hash": "b" * 64,
        "csrf_token": "c" * 43,
        "client_id": "svc",
        "request": {"scope": "openid", "authorization_details": [{"type": "t"}], "n": 1.5},
        "stage": "login",
        "created_at": NOW,
        "expires_at": NOW + 600,
        "pid": None,
        "acr": None,
        "amr": None,
        "auth_time": None,
        "lookup": None,
    }
    values.update(changes)
    return Interaction(**values)


def test_a_row_written_here_reads_back_the_same_through_sqlalchemy(
    engine: Engine, inline: InlineSQLite
) -> None:
    with inline.transaction(Mode.TRANSACTION) as connection:
        op.insert_rows(connection, interaction(amr=["TestID"], lookup={"parties": []}))
    with engine.connect() as connection:
        through_sqlalchemy = op.load_interaction(connection, "i-1")
    here = op.load_interaction(inline, "i-1")
    assert here is not None
    assert through_sqlalchemy is not None
    columns = [c.key for c in Interaction.__table__.columns]
    assert {c: getattr(here, c) for c in columns} == {
        c: getattr(through_sqlalchemy, c) for c in columns
    }
    assert here.request["authorization_details"] == [{"type": "t"}]
    assert here.amr == ["TestID"]
    assert here.lookup == {"parties": []}


def test_rows_written_by_sqlalchemy_read_back_here(engine: Engine, inline: InlineSQLite) -> None:
    with engine.begin() as connection:
        op.insert_rows(connection, interaction(id="i-2"))
    found = op.load_interaction(inline, "i-2")
    assert found is not None
    assert found.lookup is None
    assert found.amr is None
    assert found.pid is None


def test_values_fixed_in_the_statement_and_returning_work(inline: InlineSQLite) -> None:
    pushed = PushedRequest(
        request_uri="urn:x", client_id="svc", params={"a": "b"}, expires_at=NOW + 60, used=False
    )
    with inline.transaction(Mode.TRANSACTION) as connection:
        op.insert_rows(connection, pushed)
    with inline.transaction(Mode.TRANSACTION) as connection:
        won = op.consume_pushed(connection, "urn:x", "svc", NOW)
    with inline.transaction(Mode.TRANSACTION) as connection:
        again = op.consume_pushed(connection, "urn:x", "svc", NOW)
    assert won is not None
    assert won.params == {"a": "b"}
    assert won.used is True
    assert again is None  # used=True was written by the first


def test_advancing_with_different_columns_each_time(inline: InlineSQLite) -> None:
    with inline.transaction(Mode.TRANSACTION) as connection:
        op.insert_rows(connection, interaction())
    with inline.transaction(Mode.TRANSACTION) as connection:
        assert op.advance_interaction(connection, "i-1", "login", {"stage": "choose", "pid": "1"})
    with inline.transaction(Mode.TRANSACTION) as connection:
        assert op.advance_interaction(connection, "i-1", "choose", {"lookup": {"parties": [1]}})
        assert not op.advance_interaction(connection, "i-1", "login", {"stage": "x"})
    found = op.load_interaction(inline, "i-1")
    assert found is not None
    assert (found.stage, found.pid, found.lookup) == ("choose", "1", {"parties": [1]})


def test_a_failed_operation_leaves_nothing_behind(engine: Engine, inline: InlineSQLite) -> None:
    def half_then_fail(connection: InlineSQLite) -> None:
        op.insert_rows(connection, interaction(id="i-3"))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError), inline.transaction(Mode.TRANSACTION) as connection:
        half_then_fail(connection)
    with engine.connect() as connection:
        assert connection.execute(select(Interaction.id)).all() == []


def test_a_lost_code_redemption_revokes_and_the_rate_counter_counts(inline: InlineSQLite) -> None:
    code = AuthorizationCode(
        code_hash="h",
        client_id="svc",
        grant_id="g",
        redirect_uri="http://svc/cb",
        code_challenge="x",
        claims={},
        expires_at=NOW + 60,
        consumed_at=None,
    )
    with inline.transaction(Mode.TRANSACTION) as connection:
        op.insert_rows(connection, code)
    with inline.transaction(Mode.TRANSACTION) as connection:
        first = op.claim_code(connection, "h", NOW)
    with inline.transaction(Mode.TRANSACTION) as connection:
        second = op.claim_code(connection, "h", NOW + 1)
        op.revoke_if_spent(connection, "h", NOW + 1)
    assert first is not None
    assert first.consumed_at == NOW
    assert first.claims == {}
    assert second is None
    with inline.transaction(Mode.TRANSACTION) as connection:
        assert op.count_hits(connection, "k", 1, 3) == 3
        assert op.count_hits(connection, "k", 1, 2) == 5
        assert op.count_hits(connection, "k", 2, 1) == 1  # a new window starts over


def test_statements_are_prepared_once(inline: InlineSQLite) -> None:
    for n in range(50):
        with inline.transaction(Mode.TRANSACTION) as connection:
            op.insert_rows(connection, interaction(id=f"i-{n}"))
            op.load_interaction(connection, f"i-{n}")
    assert len(inline.statements) == 2


async def test_one_statement_runs_without_a_transaction_and_leaves_no_lock(
    engine: Engine, inline: InlineSQLite
) -> None:
    await inline.run(op.insert_rows, (interaction(),), Mode.ONE_STATEMENT)
    with engine.connect() as other:  # the lock is free at once: the statement committed
        other.exec_driver_sql("BEGIN IMMEDIATE")
        other.exec_driver_sql("ROLLBACK")
    assert op.load_interaction(inline, "i-1") is not None


async def test_one_statement_refuses_a_second_statement(inline: InlineSQLite) -> None:
    with pytest.raises(OneStatementBroken):
        await inline.run(
            op.insert_rows,
            (interaction(id="i-1"), interaction(id="i-2")),
            Mode.ONE_STATEMENT,
        )
    await inline.run(op.insert_rows, (interaction(id="i-3"),), Mode.ONE_STATEMENT)
    assert op.load_interaction(inline, "i-3") is not None
