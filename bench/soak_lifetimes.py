"""`python -m bench soak --lifetimes SECONDS`: every row a login leaves behind lives
SECONDS instead of its default (hours for grants and sessions, a year for audit
records), and the purge runs four times per lifetime, so a soak of minutes reaches the
steady state where the purge deletes as much as the logins write. From there the
database stops growing: SQLite reuses the pages the purge freed, PostgreSQL's
autovacuum the space of the dead rows."""

from __future__ import annotations

from ansattporten.settings import Settings

DAY_SECONDS = 24 * 3600
PURGES_PER_LIFETIME = 4
AUTOVACUUM_NAPTIME_SECONDS = 60
PILING_UP = (
    "par_lifetime",
    "login_lifetime",
    "code_lifetime",
    "grant_lifetime",
    "refresh_token_lifetime",
    "session_lifetime",
    "session_idle_timeout",
    "backchannel_kept_seconds",
)
"""Settings in seconds that decide how long a login's rows stay (codes stay a further
`grant_lifetime` at most after they expire: `housekeeping.purge_once`)."""


def short_lifetimes(seconds: int) -> dict[str, float]:
    """The settings for a soak with `seconds` lifetimes, only those this checkout's
    `Settings` knows (the settings file refuses unknown keys). Audit retention is in
    days: a fraction of one."""
    wanted: dict[str, float] = dict.fromkeys(PILING_UP, seconds)
    wanted["audit_retention_days"] = seconds / DAY_SECONDS
    wanted["purge_interval_seconds"] = seconds / PURGES_PER_LIFETIME
    known = set(Settings.__struct_fields__)
    return {key: value for key, value in wanted.items() if key in known}


def steady_after(seconds: int, database: str = "sqlite") -> float:
    """When the oldest rows start going as fast as new ones come: a code lives its own
    lifetime and is kept one grant lifetime after, and the purge comes an interval late
    at worst. On PostgreSQL a deleted row's space is reusable only once autovacuum has
    been through the table, which it visits every `autovacuum_naptime` (a minute by
    default, the benchmark's cluster's)."""
    late = AUTOVACUUM_NAPTIME_SECONDS if database == "postgres" else 0
    return 2 * seconds + seconds / PURGES_PER_LIFETIME + late


def toml_lines(settings: dict[str, float]) -> list[str]:
    return [f"{key} = {value!r}" for key, value in settings.items()]
