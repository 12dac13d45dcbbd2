"""The tables, as SQLAlchemy Core metadata: what Alembic compares migrations with, and
what tests create a bare database from. Nothing at run time goes through SQLAlchemy:
the store sends its own SQL (`statements`) on the driver.

JSON columns hold msgspec-encoded records (`ansattporten.records`). Secrets and one-time
values (client secrets, codes, refresh tokens, the browser-binding and session cookies)
are stored as hashes; the row is found by hashing what the caller presents. The
`response` columns keep the answer of a step that took effect, sealed with the secret
the caller presents (`flows/sealed_answers.py`), so a retry gets the same answer.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

clients = Table(
    "clients",
    metadata,
    Column("client_id", String(200), primary_key=True),
    Column("secret_hash", String(200)),
    Column("auth_method", String(40), nullable=False),
    Column("metadata_json", JSON, nullable=False),
    Column("updated_at", Float, nullable=False),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", String(64), primary_key=True),
    Column("alg", String(10), nullable=False),
    Column("private_jwk", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("activate_at", Float, nullable=False),
    Column("retire_at", Float),
)

instance_secrets = Table(
    "instance_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

pushed_requests = Table(
    "pushed_requests",
    metadata,
    Column("request_uri", String(200), primary_key=True),
    Column("client_id", String(200), nullable=False),
    Column("request", JSON, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("used", Boolean, nullable=False),
    Column("login_id", String(64)),
)

interactions = Table(
    "interactions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("browser_hash", String(64), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("client_id", String(200), nullable=False),
    Column("request", JSON, nullable=False),
    Column("stage", String(20), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("authentication", JSON),
    Column("offer", JSON),
    Column("failure", String(40)),
    Column("failure_page", JSON),
    Column("sid", String(64)),
    Column("upstream_state", String(64)),
    Column("upstream", JSON),
    Column("response", Text),
    Index("ix_interactions_expires", "expires_at"),
)

authorization_codes = Table(
    "authorization_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("client_id", String(200), nullable=False),
    Column("grant_id", String(64), nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("code_challenge", String(64), nullable=False),
    Column("claims", JSON, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("consumed_at", Float),
    Column("dpop_jkt", String(64)),
    Column("response", Text),
    Index("ix_codes_expires", "expires_at"),
)

grants = Table(
    "grants",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("client_id", String(200), nullable=False),
    Column("sub", String(64), nullable=False),
    Column("authorization_details", JSON),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("revoked_at", Float),
    Column("claims", JSON),
    Column("choice", JSON),
)

audit_records = Table(
    "audit_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", Float, nullable=False),
    Column("pid", String(11)),
    Column("client_id", String(200), nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("offered", JSON, nullable=False),
    Column("chosen", JSON, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("sid", String(64)),
    Index("ix_audit_created", "created_at"),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("grant_id", String(64), nullable=False, index=True),
    Column("client_id", String(200), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("used_at", Float),
    Column("dpop_jkt", String(64)),
    Column("response", Text),
)

seen_assertions = Table(
    "seen_assertions",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("expires_at", Float, nullable=False, index=True),
)

rate_counters = Table(
    "rate_counters",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("window", BigInteger, nullable=False),
    Column("count", Integer, nullable=False),
)

browser_sessions = Table(
    "browser_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("cookie_hash", String(64), nullable=False),
    Column("person_hash", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("last_active_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
    Index("ix_browser_sessions_cookie_hash", "cookie_hash", unique=True),
)

client_sessions = Table(
    "client_sessions",
    metadata,
    Column("sid", String(64), primary_key=True),
    Column("browser_session_id", String(64), nullable=False, index=True),
    Column("client_id", String(200), nullable=False),
    Column("sub", String(64), nullable=False),
    Column("authentication", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
)

logout_deliveries = Table(
    "logout_deliveries",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("client_id", String(200), nullable=False),
    Column("uri", Text, nullable=False),
    Column("sub", String(64), nullable=False),
    Column("sid", String(64), nullable=False),
    Column("created_at", Float, nullable=False, index=True),
    Column("next_attempt_at", Float, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("state", String(20), nullable=False),
    Column("claim", String(64)),
    Column("claimed_until", Float),
    Column("last_outcome", String(200)),
    Column("finished_at", Float),
    Index("ix_deliveries_due", "state", "next_attempt_at"),
)
