"""The database unreachable: told apart from a bug, and logged once per change.

When the database stops (a PostgreSQL restart or failover, a lost network, a full disk),
every request fails the same way at once. That is not a defect of the request: the
web layer answers 503 with `Retry-After` (`web/errors`), and the log gets one line when
the outage begins and one when a statement succeeds again, instead of a traceback per
request (thousands a second under load, burying everything else).

An outage is an error that says the server could not be reached or could not work, not
one about the statement: on PostgreSQL a lost or refused connection, a timeout (ours or
the server's `statement_timeout`), and the SQLSTATE classes for connection exceptions
(08), insufficient resources (53), operator intervention (57: shutdown, cancelled
statements) and system errors (58); on SQLite a busy or locked file past the wait, a
file that cannot be opened, an I/O error or a full disk. A constraint violation or a
syntax error is a bug and stays a 500 with its traceback.
"""

from __future__ import annotations

import logging
import sqlite3

import asyncpg

log = logging.getLogger("ansattporten.store")

OUTAGE_SQLSTATE_CLASSES = ("08", "53", "57", "58")
SQLITE_OUTAGE_CODES = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_NOMEM,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PROTOCOL,
    }
)


def is_outage(error: BaseException) -> bool:
    """Whether `error` means the database cannot be used right now (see above)."""
    if isinstance(error, asyncpg.PostgresError):
        return str(error.sqlstate or "")[:2] in OUTAGE_SQLSTATE_CLASSES
    if isinstance(error, (asyncpg.exceptions.InterfaceError, OSError)):
        return True  # connection lost or refused, timeouts (TimeoutError is an OSError)
    if isinstance(error, sqlite3.OperationalError):
        code = getattr(error, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in SQLITE_OUTAGE_CODES
    return False


class Outage:
    """Whether the database is down, as this process last saw it; logs each change."""

    __slots__ = ("down",)

    def __init__(self) -> None:
        self.down = False

    def began(self, error: BaseException) -> None:
        """A request failed on an outage error; logged only when the state changes."""
        if not self.down:
            self.down = True
            log.error(
                "database unavailable: answering 503 until it is back (%s)",
                type(error).__name__,
            )

    def ended(self) -> None:
        """An operation succeeded: the database is back, if it was down."""
        if self.down:
            self.down = False
            log.warning("database available again")
