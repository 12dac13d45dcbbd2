"""Every statement the store sends, in plain SQL (see `sql.Sql` for the placeholders).

Columns are listed in the order the row decoders in `rows` read them. `"window"` is
quoted: it is a reserved word in PostgreSQL.
"""

from __future__ import annotations

from ansattporten.store.sql import Sql

PING = Sql("SELECT 1")

# clients, keys and shared secrets ------------------------------------------------------

CLIENT_COLUMNS = "client_id, secret_hash, auth_method, metadata_json, updated_at"
SELECT_CLIENT = Sql(f"SELECT {CLIENT_COLUMNS} FROM clients WHERE client_id = $1")
ALL_CLIENTS = Sql(f"SELECT {CLIENT_COLUMNS} FROM clients ORDER BY client_id")
UPSERT_CLIENT = Sql(
    f"""INSERT INTO clients ({CLIENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (client_id) DO UPDATE SET secret_hash = excluded.secret_hash,
    auth_method = excluded.auth_method, metadata_json = excluded.metadata_json,
    updated_at = excluded.updated_at"""
)
DELETE_CLIENT = Sql("DELETE FROM clients WHERE client_id = $1")

KEY_COLUMNS = "kid, alg, private_jwk, created_at, activate_at, retire_at"
ALL_KEYS = Sql(f"SELECT {KEY_COLUMNS} FROM signing_keys ORDER BY created_at")
INSERT_KEY = Sql(f"INSERT INTO signing_keys ({KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)")
RETIRE_KEY = Sql("UPDATE signing_keys SET retire_at = $2 WHERE kid = $1")

INSERT_SECRET = Sql(
    "INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"
)
SELECT_SECRET = Sql("SELECT value FROM instance_secrets WHERE name = $1")

# pushed requests -----------------------------------------------------------------------

INSERT_PUSHED = Sql(
    """INSERT INTO pushed_requests (request_uri, client_id, request, expires_at, used)
    VALUES ($1, $2, $3, $4, $5)"""
)
CONSUME_PUSHED = Sql(
    """UPDATE pushed_requests SET used = TRUE
    WHERE request_uri = $1 AND client_id = $2 AND used = FALSE AND expires_at > $3
    RETURNING request_uri, client_id, request, expires_at"""
)

# logins --------------------------------------------------------------------------------

LOGIN_COLUMNS = (
    "id, client_id, browser_hash, csrf_token, stage, created_at, expires_at, request, "
    "authentication, offer, failure"
)
INSERT_LOGIN = Sql(
    f"""INSERT INTO interactions ({LOGIN_COLUMNS})
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"""
)
SELECT_LOGIN = Sql(f"SELECT {LOGIN_COLUMNS} FROM interactions WHERE id = $1")
AUTHENTICATED = Sql(
    """UPDATE interactions SET stage = 'choose', authentication = $2
    WHERE id = $1 AND stage = 'login'"""
)
OFFERED = Sql("UPDATE interactions SET offer = $2 WHERE id = $1 AND stage = 'choose'")
FAILED = Sql("UPDATE interactions SET stage = 'failed', failure = $3 WHERE id = $1 AND stage = $2")
DONE = Sql("UPDATE interactions SET stage = 'done' WHERE id = $1 AND stage = $2")

GRANT_COLUMNS = "id, client_id, sub, authorization_details, created_at, expires_at, claims, choice"
INSERT_GRANT = Sql(f"INSERT INTO grants ({GRANT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
CODE_COLUMNS = "code_hash, client_id, grant_id, redirect_uri, code_challenge, claims, expires_at"
INSERT_CODE = Sql(
    f"INSERT INTO authorization_codes ({CODE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
)
AUDIT_COLUMNS = "created_at, pid, client_id, outcome, offered, chosen, sources"
INSERT_AUDIT = Sql(
    f"INSERT INTO audit_records ({AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
)
RECENT_AUDIT = Sql(f"SELECT {AUDIT_COLUMNS}, id FROM audit_records ORDER BY id DESC LIMIT $1")

_FINISH = """WITH done AS (
    UPDATE interactions SET stage = 'done' WHERE id = $1 AND stage = $2 RETURNING id
), grant_row AS (
    INSERT INTO grants ({grant_columns})
    SELECT $3, $4, $5, $6::json, $7::float8, $8::float8, $9::json, $10::json FROM done
), code_row AS (
    INSERT INTO authorization_codes ({code_columns})
    SELECT $11, $4, $3, $12, $13, $14::json, $15::float8 FROM done
){audit}
SELECT count(*) FROM done"""
_AUDIT_ROW = """, audit_row AS (
    INSERT INTO audit_records ({audit_columns})
    SELECT $16::float8, $17, $4, $18, $19::json, $20::json, $21::json FROM done
)"""
FINISH = Sql(_FINISH.format(grant_columns=GRANT_COLUMNS, code_columns=CODE_COLUMNS, audit=""))
"""PostgreSQL only: the end of a login as one statement (see `Store.finish_login`)."""
FINISH_WITH_AUDIT = Sql(
    _FINISH.format(
        grant_columns=GRANT_COLUMNS,
        code_columns=CODE_COLUMNS,
        audit=_AUDIT_ROW.format(audit_columns=AUDIT_COLUMNS),
    )
)

# codes, grants and refresh tokens ------------------------------------------------------

CLAIM_CODE = Sql(
    f"""UPDATE authorization_codes SET consumed_at = $2
    WHERE code_hash = $1 AND consumed_at IS NULL AND expires_at > $2
    RETURNING {CODE_COLUMNS}, consumed_at"""
)
SPENT_CODE = Sql("SELECT grant_id, consumed_at FROM authorization_codes WHERE code_hash = $1")
REVOKE_GRANT = Sql("UPDATE grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
ACTIVE_GRANT = Sql("SELECT 1 FROM grants WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2")
SELECT_GRANT = Sql(f"SELECT {GRANT_COLUMNS}, revoked_at FROM grants WHERE id = $1")

REFRESH_COLUMNS = "token_hash, grant_id, client_id, created_at, expires_at, used_at"
INSERT_REFRESH = Sql(
    f"INSERT INTO refresh_tokens ({REFRESH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
)
SELECT_REFRESH = Sql(f"SELECT {REFRESH_COLUMNS} FROM refresh_tokens WHERE token_hash = $1")
USE_REFRESH = Sql(
    """UPDATE refresh_tokens SET used_at = $3
    WHERE token_hash = $1 AND client_id = $2 AND used_at IS NULL AND expires_at > $3
    RETURNING grant_id"""
)

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
    "rate_counters": Sql('DELETE FROM rate_counters WHERE "window" < $1'),
}
"""Per table, what has expired; the argument is a time, or a window for rate counters."""
