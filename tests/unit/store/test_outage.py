"""Which database errors are an outage (503, logged once) and which are bugs (500 with
their traceback), and the one log line per change of state."""

from __future__ import annotations

import logging
import sqlite3

import asyncpg
import pytest

from ansattporten.store.outage import Outage, is_outage


def sqlite_error(code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("from SQLite")
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(),
        TimeoutError(),
        asyncpg.exceptions.ConnectionDoesNotExistError("gone"),
        asyncpg.exceptions.CannotConnectNowError("starting up"),
        asyncpg.exceptions.AdminShutdownError("shutting down"),
        asyncpg.exceptions.QueryCanceledError("statement timeout"),
        asyncpg.exceptions.TooManyConnectionsError("too many"),
        sqlite_error(sqlite3.SQLITE_BUSY),
        sqlite_error(sqlite3.SQLITE_IOERR_WRITE),
        sqlite_error(sqlite3.SQLITE_FULL),
        sqlite_error(sqlite3.SQLITE_CANTOPEN),
    ],
    ids=repr,
)
def test_an_unreachable_or_stuck_database_is_an_outage(error):
    assert is_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.UniqueViolationError("duplicate"),
        asyncpg.exceptions.UndefinedTableError("no such table"),
        asyncpg.exceptions.RaiseError("a trigger refused"),
        sqlite3.IntegrityError("constraint"),
        sqlite_error(sqlite3.SQLITE_ERROR),  # "no such table", a syntax error
        ValueError("a bug"),
    ],
    ids=repr,
)
def test_a_wrong_statement_is_a_bug_not_an_outage(error):
    assert not is_outage(error)


def test_each_change_of_state_is_logged_once(caplog):
    outage = Outage()
    caplog.set_level(logging.INFO, logger="ansattporten.store")

    outage.ended()
    for _ in range(100):
        outage.began(ConnectionRefusedError())
    for _ in range(100):
        outage.ended()
    outage.began(TimeoutError())

    assert [record.getMessage() for record in caplog.records] == [
        "database unavailable: answering 503 until it is back (ConnectionRefusedError)",
        "database available again",
        "database unavailable: answering 503 until it is back (TimeoutError)",
    ]
    assert not any(record.exc_info for record in caplog.records)
