"""The soak's judgement of the database file under `--lifetimes`: does it stop growing
once the purge deletes as much as the logins write?

The bound, stated so it can fail: over the last third of the run, the main file's size
(SQLite's file without -wal and -shm, which have bounds of their own; PostgreSQL's
`pg_database_size`) may vary by at most half of what one lifetime of logins writes,
measured as the files' growth per login during the first lifetime (before anything
expired) times the paced rate times the lifetime. A file that still grew at half its
first rate would exceed it, since the last third is at least one lifetime long. On
SQLite the -wal's growth counts as written: frames not yet copied into the file,
whole pages, several per page changed, so the figure is larger than the rows
themselves and the bound looser than it need be (seen: 18 KB per login at 73/s). The
verdict is given only when the last third starts after the steady state
(`soak_lifetimes.steady_after`); before, the oldest rows were not yet being deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.soak_lifetimes import DAY_SECONDS, steady_after

if TYPE_CHECKING:
    from bench.soak_report import Sample, Soak

MIB = 1024 * 1024
MAIN_FILE = {"sqlite": "db", "postgres": "database"}


def written_per_login(samples: list[Sample], lifetime: float) -> float | None:
    """Bytes all files grew per login from the first sample to the last one within the
    first lifetime; None when no login was done in it."""
    early = [s for s in samples if s.seconds <= lifetime]
    if len(early) < 2 or early[-1].logins <= early[0].logins:
        return None
    grown = sum(early[-1].files.values()) - sum(early[0].files.values())
    return grown / (early[-1].logins - early[0].logins)


def last_third(samples: list[Sample]) -> list[Sample]:
    if not samples:
        return []
    start = samples[-1].seconds * 2 / 3
    return [s for s in samples if s.seconds >= start]


def verdict(soak: Soak) -> str:
    """One plain line: bounded, NOT bounded, or why it was not judged."""
    assert soak.lifetime is not None
    name = MAIN_FILE[soak.database]
    tail = last_third(soak.samples)
    steady = steady_after(soak.lifetime, soak.database)
    if len(tail) < 2:
        return "- bounded file: not judged (fewer than two samples in the last third)"
    if tail[0].seconds < steady:
        return (
            f"- bounded file: not judged: the last third starts at {tail[0].seconds:.0f} s, "
            f"before the steady state at {steady:.0f} s (run at least {1.5 * steady:.0f} s)"
        )
    per_login = written_per_login(soak.samples, soak.lifetime)
    if per_login is None:
        return "- bounded file: not judged (no logins in the first lifetime)"
    bound = per_login * soak.rate * soak.lifetime / 2
    sizes = [s.files.get(name, 0) for s in tail]
    spread = max(sizes) - min(sizes)
    word = "bounded" if spread <= bound else "NOT bounded"
    return (
        f"- bounded file: {name} over the last third ({tail[0].seconds:.0f}-"
        f"{tail[-1].seconds:.0f} s) varied by {spread / MIB:.2f} MiB (max - min), "
        f"against a bound of {bound / MIB:.2f} MiB (half of one lifetime of logins: "
        f"{per_login / 1024:.1f} KB written per login in the first lifetime × "
        f"{soak.rate:.1f}/s × {soak.lifetime} s / 2) → {word}"
    )


def bounded_lines(soak: Soak) -> list[str]:
    """Which lifetimes the run used, the steady-state bound, and the verdict."""
    assert soak.lifetime is not None
    shown = []
    for key, value in soak.lifetimes.items():
        if key == "audit_retention_days":
            shown.append(f"{key} {value:.6g} ({value * DAY_SECONDS:.0f} s)")
        else:
            shown.append(f"{key} {value:g}")
    steady = steady_after(soak.lifetime, soak.database)
    return [
        f"- lifetimes (`--lifetimes {soak.lifetime}`): " + ", ".join(shown),
        "- steady state: the database file stops growing once the purge deletes as much "
        f"as the logins write, from about {steady:.0f} s (codes live their lifetime and "
        "are kept one grant lifetime after, plus one purge interval"
        + (", plus autovacuum's minute" if soak.database == "postgres" else "")
        + "); then it holds at most "
        "two lifetimes of logins, SQLite reusing the pages the purge freed and "
        "PostgreSQL's autovacuum the space of the dead rows. " + _wal_note(soak.database),
        verdict(soak),
    ]


def _wal_note(database: str) -> str:
    if database != "sqlite":
        return ""
    return "SQLite's -wal has its own bound (`journal_size_limit`, 8 MiB, after checkpoints)."
