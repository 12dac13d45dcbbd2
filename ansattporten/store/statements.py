"""Every statement the store sends, in plain SQL (see `sql.Sql` for the placeholders).

A table's columns are listed once, in the order of its record's fields (`rows` maps
the one onto the other), and the statements are built from those lists. `"window"` is
quoted: it is a reserved word in PostgreSQL.
"""

from __future__ import annotations

from ansattporten.store.sql import Sql

CLIENT = ("client_id", "secret_hash", "auth_method", "metadata_json", "updated_at")
KEY = ("kid", "alg", "private_jwk", "created_at", "activate_at", "retire_at")
PUSHED = ("request_uri", "client_id", "request", "expires_at", "used", "login_id")
LOGIN = (
    "id",
    "client_id",
    "browser_hash",
    "csrf_token",
    "stage",
    "created_at",
    "expires_at",
    "request",
    "authentication",
    "offer",
    "failure",
    "failure_page",
    "sid",
    "upstream_state",
    "upstream",
    "response",
)
GRANT = (
    "id",
    "client_id",
    "sub",
    "authorization_details",
    "created_at",
    "expires_at",
    "claims",
    "choice",
    "revoked_at",
)
CODE = (
    "code_hash",
    "client_id",
    "grant_id",
    "redirect_uri",
    "code_challenge",
    "claims",
    "expires_at",
    "consumed_at",
    "dpop_jkt",
    "response",
)
AUDIT = ("created_at", "pid", "client_id", "outcome", "offered", "chosen", "sources", "sid")
REFRESH = (
    "token_hash",
    "grant_id",
    "client_id",
    "created_at",
    "expires_at",
    "used_at",
    "dpop_jkt",
    "response",
)
BROWSER_SESSION = (
    "id",
    "cookie_hash",
    "person_hash",
    "created_at",
    "last_active_at",
    "expires_at",
)
CLIENT_SESSION = (
    "sid",
    "browser_session_id",
    "client_id",
    "sub",
    "authentication",
    "created_at",
    "expires_at",
)
DELIVERY = (
    "id",
    "client_id",
    "uri",
    "sub",
    "sid",
    "created_at",
    "next_attempt_at",
    "attempts",
    "state",
    "claim",
    "claimed_until",
    "last_outcome",
    "finished_at",
)
JSON_COLUMNS = frozenset(
    {
        "metadata_json",
        "private_jwk",
        "request",
        "authentication",
        "offer",
        "failure_page",
        "upstream",
        "authorization_details",
        "claims",
        "choice",
        "offered",
        "chosen",
        "sources",
    }
)


def listed(columns: tuple[str, ...]) -> str:
    return ", ".join(columns)


def placeholders(columns: tuple[str, ...], first: int = 1) -> str:
    return ", ".join(f"${n}" for n in range(first, first + len(columns)))


def insert(table: str, columns: tuple[str, ...]) -> Sql:
    return Sql(f"INSERT INTO {table} ({listed(columns)}) VALUES ({placeholders(columns)})")


def select(table: str, columns: tuple[str, ...], where: str) -> Sql:
    return Sql(f"SELECT {listed(columns)} FROM {table} {where}")


def _update_then_insert(update: str, first: int, *rows: tuple[str, tuple[str, ...]]) -> Sql:
    """PostgreSQL only: a conditional UPDATE and the rows it makes true, as one statement
    (data-modifying CTEs). `update` ends in `RETURNING ...` and uses `$1 .. $first-1`;
    then every row's columns, in order. Each INSERT takes its row `FROM done`: nothing is
    inserted unless the UPDATE changed a row. The statement answers how many it changed.
    The parameters are typed here: PostgreSQL does not infer a type through a SELECT
    list."""
    inserts = []
    for index, (table, columns) in enumerate(rows):
        values = ", ".join(
            f"${first + offset}::{_postgres_type(column)}" for offset, column in enumerate(columns)
        )
        inserts.append(
            f"row{index} AS (INSERT INTO {table} ({listed(columns)}) SELECT {values} FROM done)"
        )
        first += len(columns)
    return Sql(f"WITH done AS ({update}), {', '.join(inserts)} SELECT count(*) FROM done")


def _postgres_type(column: str) -> str:
    if column in JSON_COLUMNS:
        return "json"
    return "float8" if column.endswith("_at") else "text"


PING = Sql("SELECT 1")
SCHEMA_TABLE = {
    "sqlite": Sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"),
    "postgres": Sql("SELECT to_regclass('alembic_version')::text"),
}
"""Whether Alembic has migrated this database at all (the table exists), per database."""
SCHEMA_REVISION = Sql("SELECT version_num FROM alembic_version")

# clients, keys and shared secrets ------------------------------------------------------

SELECT_CLIENT = select("clients", CLIENT, "WHERE client_id = $1")
ALL_CLIENTS = select("clients", CLIENT, "ORDER BY client_id")
UPSERT_CLIENT = Sql(
    f"""{insert("clients", CLIENT).postgres} ON CONFLICT (client_id) DO UPDATE SET
    {", ".join(f"{column} = excluded.{column}" for column in CLIENT[1:])}"""
)
DELETE_CLIENT = Sql("DELETE FROM clients WHERE client_id = $1")

ALL_KEYS = select("signing_keys", KEY, "ORDER BY created_at")
INSERT_KEY = insert("signing_keys", KEY)
RETIRE_KEY = Sql("UPDATE signing_keys SET retire_at = $2 WHERE kid = $1")
ACTIVE_KEY_OF = Sql(
    """SELECT 1 FROM signing_keys
    WHERE alg = $1 AND activate_at <= $2 AND (retire_at IS NULL OR retire_at > $2)"""
)
KEYS_LOCK = Sql("SELECT pg_advisory_xact_lock(72116501)")
"""PostgreSQL: instances (or workers) creating a first key take turns; released at the
end of the transaction (the migration lock, `migrations/env.py`, is 72116500)."""

INSERT_SECRET = Sql(
    "INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"
)
SELECT_SECRET = Sql("SELECT value FROM instance_secrets WHERE name = $1")

# pushed requests -----------------------------------------------------------------------

INSERT_PUSHED = insert("pushed_requests", PUSHED)
SELECT_PUSHED = select("pushed_requests", PUSHED, "WHERE request_uri = $1 AND client_id = $2")
_USE_PUSHED = """UPDATE pushed_requests SET used = TRUE, login_id = $4
    WHERE request_uri = $1 AND client_id = $2 AND used = FALSE AND expires_at > $3"""
USE_PUSHED = Sql(_USE_PUSHED)

# logins --------------------------------------------------------------------------------

INSERT_LOGIN = insert("interactions", LOGIN)
START_PUSHED_LOGIN = _update_then_insert(
    f"{_USE_PUSHED} RETURNING request_uri", 5, ("interactions", LOGIN)
)
SELECT_LOGIN = select("interactions", LOGIN, "WHERE id = $1")
AUTHENTICATED = Sql(
    """UPDATE interactions SET stage = 'choose', authentication = $2, sid = $3
    WHERE id = $1 AND stage = 'login'"""
)
OFFERED = Sql("UPDATE interactions SET offer = $2 WHERE id = $1 AND stage = 'choose'")
FAILED = Sql(
    """UPDATE interactions SET stage = 'failed', failure = $3, failure_page = $4
    WHERE id = $1 AND stage = $2"""
)
UPSTREAM_STARTED = Sql(
    """UPDATE interactions SET upstream_state = $2, upstream = $3
    WHERE id = $1 AND stage = 'login'"""
)
UPSTREAM_TAKEN = Sql(
    f"""UPDATE interactions SET upstream_state = NULL
    WHERE id = $1 AND stage = 'login' AND upstream_state = $2
    RETURNING {listed(LOGIN)}"""
)
RELANGUAGED = Sql(
    """UPDATE interactions SET request = $2
    WHERE id = $1 AND stage IN ('login', 'choose', 'failed')"""
)
DONE = Sql("UPDATE interactions SET stage = 'done', response = $3 WHERE id = $1 AND stage = $2")
INSERT_GRANT = insert("grants", GRANT)
INSERT_CODE = insert("authorization_codes", CODE)
INSERT_AUDIT = insert("audit_records", AUDIT)
RECENT_AUDIT = select("audit_records", (*AUDIT, "id"), "ORDER BY id DESC LIMIT $1")


def _one_statement_finish(*rows: tuple[str, tuple[str, ...]]) -> Sql:
    """The end of a login as one statement (see `Store.finish_login`): `$1, $2, $3` are
    the login, the stage it must be at and its sealed answer; then every row's columns."""
    done = "UPDATE interactions SET stage = 'done', response = $3 WHERE id = $1 AND stage = $2"
    return _update_then_insert(f"{done} RETURNING id", 4, *rows)


FINISH = _one_statement_finish(("grants", GRANT), ("authorization_codes", CODE))
FINISH_WITH_AUDIT = _one_statement_finish(
    ("grants", GRANT), ("authorization_codes", CODE), ("audit_records", AUDIT)
)

# codes, grants and refresh tokens ------------------------------------------------------

SELECT_CODE = select("authorization_codes", CODE, "WHERE code_hash = $1")
_REDEEM = """UPDATE authorization_codes SET consumed_at = $3, response = $4
    WHERE code_hash = $1 AND client_id = $2 AND consumed_at IS NULL AND expires_at > $3"""
REDEEM_CODE = Sql(_REDEEM)
REDEEM_CODE_WITH_REFRESH = _update_then_insert(
    f"{_REDEEM} RETURNING code_hash", 5, ("refresh_tokens", REFRESH)
)
REVOKE_GRANT = Sql("UPDATE grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
ACTIVE_GRANT = Sql("SELECT 1 FROM grants WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2")
SELECT_GRANT = select("grants", GRANT, "WHERE id = $1")

INSERT_REFRESH = insert("refresh_tokens", REFRESH)
SELECT_REFRESH = select("refresh_tokens", REFRESH, "WHERE token_hash = $1")
REFRESH_AND_GRANT = Sql(
    f"""SELECT {", ".join(f"r.{column}" for column in REFRESH)},
    {", ".join(f"g.{column}" for column in GRANT)}
    FROM refresh_tokens r LEFT JOIN grants g ON g.id = r.grant_id WHERE r.token_hash = $1"""
)
_TRADE = """UPDATE refresh_tokens SET used_at = $3, response = $4
    WHERE token_hash = $1 AND client_id = $2 AND used_at IS NULL AND expires_at > $3
    AND EXISTS (SELECT 1 FROM grants WHERE grants.id = refresh_tokens.grant_id
                AND grants.revoked_at IS NULL AND grants.expires_at > $3)"""
TRADE_REFRESH = Sql(_TRADE)
TRADE_REFRESH_FOR_SUCCESSOR = _update_then_insert(
    f"{_TRADE} RETURNING token_hash", 5, ("refresh_tokens", REFRESH)
)

# isolated sessions --------------------------------------------------------------------

INSERT_BROWSER_SESSION = insert("browser_sessions", BROWSER_SESSION)
LIVE_BROWSER_SESSION = select(
    "browser_sessions",
    BROWSER_SESSION,
    "WHERE cookie_hash = $1 AND expires_at > $2 AND last_active_at > $3",
)
BROWSER_SESSION_BY_COOKIE = select("browser_sessions", BROWSER_SESSION, "WHERE cookie_hash = $1")
ROTATE_BROWSER_SESSION = Sql(
    """UPDATE browser_sessions SET cookie_hash = $3, last_active_at = $4
    WHERE id = $1 AND cookie_hash = $2"""
)
"""A new cookie value for a live browser session, only if it still has the value the
browser presented: of two authentications racing in one browser, one rotates and the
other starts a browser session of its own."""
TOUCH_BROWSER_SESSION = Sql(
    """UPDATE browser_sessions SET last_active_at = $3
    WHERE id = $1 AND expires_at > $3 AND last_active_at > $4
    AND EXISTS (SELECT 1 FROM client_sessions WHERE sid = $2 AND browser_session_id = $1)"""
)
"""A silent login keeps the browser session alive, if it and the client session it
continues are both still there (a logout racing it wins)."""
DROP_EMPTY_BROWSER_SESSION = Sql(
    """DELETE FROM browser_sessions WHERE id = $1
    AND NOT EXISTS (SELECT 1 FROM client_sessions WHERE browser_session_id = $1)"""
)
DROP_BROWSER_SESSION = Sql("DELETE FROM browser_sessions WHERE id = $1")
INSERT_CLIENT_SESSION = insert("client_sessions", CLIENT_SESSION)
CLIENT_SESSION_OF = select(
    "client_sessions", CLIENT_SESSION, "WHERE browser_session_id = $1 AND client_id = $2"
)
CLIENT_SESSIONS_OF = select(
    "client_sessions", CLIENT_SESSION, "WHERE browser_session_id = $1 ORDER BY created_at"
)
SELECT_CLIENT_SESSION = select("client_sessions", CLIENT_SESSION, "WHERE sid = $1")
SUPERSEDE_CLIENT_SESSION = Sql(
    "DELETE FROM client_sessions WHERE browser_session_id = $1 AND client_id = $2"
)
END_CLIENT_SESSION = Sql(
    f"DELETE FROM client_sessions WHERE sid = $1 RETURNING {listed(CLIENT_SESSION)}"
)

# back-channel logout deliveries --------------------------------------------------------

INSERT_DELIVERY = insert("logout_deliveries", DELIVERY)
_DUE = """state = 'pending' AND next_attempt_at <= $1
    AND (claimed_until IS NULL OR claimed_until < $1)"""
CLAIM_DELIVERIES_SQLITE = Sql(
    f"""UPDATE logout_deliveries SET claim = $2, claimed_until = $3, attempts = attempts + 1
    WHERE {_DUE} AND id IN (
        SELECT id FROM logout_deliveries WHERE {_DUE} ORDER BY next_attempt_at LIMIT $4)
    RETURNING {listed(DELIVERY)}"""
)
CLAIM_DELIVERIES_POSTGRES = Sql(
    f"""UPDATE logout_deliveries SET claim = $2, claimed_until = $3, attempts = attempts + 1
    WHERE {_DUE} AND id IN (
        SELECT id FROM logout_deliveries WHERE {_DUE} ORDER BY next_attempt_at LIMIT $4
        FOR UPDATE SKIP LOCKED)
    RETURNING {listed(DELIVERY)}"""
)
"""Claim up to $4 due deliveries for one worker ($2, until $3), in one statement: the
conditions are repeated outside the sub-select so that a row another worker claimed in
the meantime is re-checked and left alone (PostgreSQL re-evaluates the outer WHERE on
the locked row; SQLite runs one writer at a time). Rows already claimed are skipped
(SKIP LOCKED) rather than waited for."""
FINISH_DELIVERY = Sql(
    """UPDATE logout_deliveries SET state = $3, last_outcome = $4, finished_at = $5,
    next_attempt_at = $6, claim = NULL, claimed_until = NULL
    WHERE id = $1 AND claim = $2"""
)
"""Record one attempt's outcome, only by the worker holding the claim."""
RECENT_DELIVERIES = select("logout_deliveries", DELIVERY, "ORDER BY created_at DESC, id LIMIT $1")

# replay protection and rate limits -----------------------------------------------------

FORGET_ASSERTIONS = Sql("DELETE FROM seen_assertions WHERE expires_at < $1")
REMEMBER_ASSERTION = Sql(
    "INSERT INTO seen_assertions (key, expires_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"
)
COUNT_HITS = Sql(
    """INSERT INTO rate_counters (key, "window", count) VALUES ($1, $2, $3)
    ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN rate_counters."window" = excluded."window"
                 THEN rate_counters.count + excluded.count ELSE excluded.count END,
    "window" = excluded."window"
    RETURNING count"""
)

# housekeeping --------------------------------------------------------------------------

PURGES = {
    "interactions": Sql("DELETE FROM interactions WHERE expires_at < $1"),
    "pushed_requests": Sql("DELETE FROM pushed_requests WHERE expires_at < $1"),
    "authorization_codes": Sql("DELETE FROM authorization_codes WHERE expires_at < $1"),
    "refresh_tokens": Sql("DELETE FROM refresh_tokens WHERE expires_at < $1"),
    "grants": Sql("DELETE FROM grants WHERE expires_at < $1"),
    "client_sessions": Sql("DELETE FROM client_sessions WHERE expires_at < $1"),
    "browser_sessions": Sql("DELETE FROM browser_sessions WHERE expires_at < $1"),
    "logout_deliveries": Sql(
        "DELETE FROM logout_deliveries WHERE state <> 'pending' AND finished_at < $1"
    ),
    "rate_counters": Sql('DELETE FROM rate_counters WHERE "window" < $1'),
}
"""Per table, what has expired; the argument is a time, or a window for rate counters."""
PURGE_AUDIT = Sql(
    """DELETE FROM audit_records WHERE id IN (
        SELECT id FROM audit_records WHERE created_at < $1 ORDER BY created_at LIMIT $2)"""
)
"""At most $2 audit records made before $1, the oldest first (`ix_audit_created`).
Batched, unlike the tables above, because the first purge after the retention is set
(or shortened) may find years of records: one statement deleting them all would hold
SQLite's writer lock, and the worker's event loop, or run into PostgreSQL's
`statement_timeout` and be rolled back at every try."""
