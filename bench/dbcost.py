"""`python -m bench dbcost`: what one full RAR login asks of the database, in counts
rather than timings, on SQLite and on PostgreSQL: store operations by kind, statements,
round trips, rows written, and on PostgreSQL its own statistics (transactions
committed, rows inserted/updated/deleted from `pg_stat_database`, WAL bytes).

The provider is `bench.counted_app` (the application with the store's connection layer
counted) served by uvicorn with one worker. After unmeasured warm-up logins the counters
are read, `--logins` logins run (PAR, authorize, login, picker with the mock Altinn
lookup, code, token), and the counters are read again. A PostgreSQL backend that has
gone idle sends its statistics at most 10 s later (PGSTAT_IDLE_INTERVAL), so on
PostgreSQL each reading waits `STATS_SETTLE_SECONDS` first.

Counts do not depend on the machine's speed. What the background timers (expired-row
purging, logout deliveries, a new rate-limit window) write in the window is included,
as it is in a deployment; they are why a count can be a fraction above a whole number.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx
import uvloop

from bench import config, flows
from bench.config import Setup
from bench.dbcost_report import PerLogin, Reading, per_login, table
from bench.machine import describe
from bench.measure import run_pool
from bench.ours import sqlite_url, start_provider
from bench.postgres import Cluster, postgres_cluster
from bench.processes import Server
from bench.published import publish
from bench.run import start_mock_altinn, stopping
from bench.scenarios import http_clients

STATS_SETTLE_SECONDS = 11.0
CONCURRENCY = 4
APP = "bench.counted_app:app"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench dbcost", description=__doc__)
    parser.add_argument("--logins", type=int, default=200, help="measured logins per database")
    parser.add_argument("--warm-up", type=int, default=20, help="unmeasured logins first")
    parser.add_argument(
        "--concurrency", type=int, default=CONCURRENCY, help="browsers at once (default 4)"
    )
    parser.add_argument(
        "--database", action="append", choices=("sqlite", "postgres"), help="default: both"
    )
    parser.add_argument("--out", default=str(config.BENCH / "results"), help="results folder")
    return parser.parse_args(argv)


def uvicorn_counted(port: int, _settings: Path) -> list[str]:
    return [
        *(str(config.VENV_BIN / "uvicorn"), APP, "--host", "127.0.0.1", "--port", str(port)),
        *("--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "info"),
    ]


def postgres_counters(cluster: Cluster, database: str) -> dict[str, int]:
    query = (
        "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted, "
        "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, sessions "
        f"FROM pg_stat_database WHERE datname = '{database}'"
    )
    done = subprocess.run(
        [str(cluster.bindir / "psql"), cluster.admin_url, "-AtF", " ", "-c", query],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    keys = ("xact_commit", "tup_inserted", "tup_updated", "tup_deleted", "wal_bytes", "sessions")
    found = dict(zip(keys, (int(v) for v in done.stdout.split()), strict=True))
    # read in the database itself (one more commit there per reading: 0.01 per login)
    toast = subprocess.run(
        [
            *(str(cluster.bindir / "psql"), cluster.admin_url.rsplit("/", 1)[0] + f"/{database}"),
            *("-At", "-c", TOAST_ROWS),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    found["toast_rows"] = int(toast.stdout.strip() or 0)
    return found


TOAST_ROWS = (
    "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
    "FROM pg_stat_all_tables WHERE schemaname = 'pg_toast'"
)


class Database:
    """Where one measurement's provider keeps its data, and how to read PostgreSQL's
    own counters for it."""

    def __init__(self, kind: str, url: str, cluster: Cluster | None, name: str) -> None:
        self.kind = kind
        self.url = url
        self.cluster = cluster
        self.name = name

    def counters(self) -> dict[str, int]:
        if self.cluster is None:
            return {}
        return postgres_counters(self.cluster, self.name)


@contextmanager
def databases(kinds: list[str], workdir: Path) -> Iterator[list[Database]]:
    found = []
    if "sqlite" in kinds:
        found.append(Database("SQLite", sqlite_url(workdir, Setup("ours", "sqlite", 1)), None, ""))
    if "postgres" not in kinds:
        yield found
        return
    with postgres_cluster() as cluster:
        url = cluster.create_database("bench_dbcost")
        found.append(Database("PostgreSQL", url, cluster, "bench_dbcost"))
        yield found


async def reading(provider: Server, database: Database) -> Reading:
    if database.cluster is not None:
        await asyncio.sleep(STATS_SETTLE_SECONDS)
    async with httpx.AsyncClient() as http:
        body = (await http.get(f"{provider.url}/_bench/db-counts")).json()
    return Reading(
        body["operations"], body["statements"], body["sqlite_changes"], database.counters()
    )


async def measure(
    database: Database, altinn: Server, workdir: Path, args: argparse.Namespace
) -> PerLogin:
    log_dir = workdir / "logs"
    name = f"dbcost-{database.kind.lower()}"
    with stopping(
        start_provider(name, uvicorn_counted, altinn.url, database.url, workdir, log_dir)
    ) as provider:
        async with http_clients(args.concurrency) as clients:
            target = await flows.Target.discover(name, provider.url, clients.service)
            pid = config.person()

            async def one(slot: int, _index: int) -> tuple[float, None]:
                browser = clients.browsers[slot]
                return (await flows.full_login(target, browser, clients.service, pid)).seconds, None

            await run_pool(args.warm_up, args.concurrency, 60, one)
            before = await reading(provider, database)
            done = await run_pool(args.logins, args.concurrency, 300, one)
            if done.errors:
                raise SystemExit(
                    f"{database.kind}: {len(done.errors)} logins failed: {done.errors[:3]}"
                )
            after = await reading(provider, database)
    return per_login(database.kind, before, after, len(done.latencies))


@contextmanager
def login_setting(name: str, kinds: list[str]) -> Iterator[tuple[Path, list[Database], Server]]:
    """A scratch folder (with `logs/`), the databases of `kinds` and the mock Altinn,
    all stopped and removed at the end."""
    with tempfile.TemporaryDirectory(prefix=f"ansattporten-bench-{name}-") as tmp:
        workdir = Path(tmp)
        (workdir / "logs").mkdir()
        with (
            databases(kinds, workdir) as chosen,
            stopping(start_mock_altinn(0, workdir / "logs")) as altinn,
        ):
            yield workdir, chosen, altinn


async def run(args: argparse.Namespace) -> list[PerLogin]:
    with login_setting("dbcost", args.database or ["sqlite", "postgres"]) as setting:
        workdir, chosen, altinn = setting
        return [await measure(database, altinn, workdir, args) for database in chosen]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    found = uvloop.run(run(args))
    machine = describe()
    text = "\n".join(
        [
            f"# Database work per full RAR login · {datetime.now():%Y-%m-%d %H:%M}",
            "",
            f"- `python -m bench dbcost --logins {args.logins} --concurrency {args.concurrency}`; "
            f"source {machine.source_digest}; "
            f"{machine.python_packages.get('SQLite', '?')} SQLite",
            "- one worker, mock Altinn; counted at the store's connection layer "
            "(`bench/counted_app.py`) and, on PostgreSQL, by `pg_stat_database`",
            "",
            *table(found),
            "",
        ]
    )
    publish(text, args.out, f"{datetime.now():%Y-%m-%d}-dbcost.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
