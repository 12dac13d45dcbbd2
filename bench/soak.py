"""`python -m bench soak`: our provider (`ansattporten serve`, one worker) under a steady
load of full RAR logins for minutes, watched for memory that keeps growing and database
files that keep growing.

The load is the benchmark's own (`bench.flows` logins through `bench.measure.run_pool`,
paced): PAR, authorize, login, picker with the mock Altinn lookup, code, token. By
default the rate is half of what a closed-loop warm-up (16 browsers) completes, so the
server has headroom and any growth is the code's, not a queue's. Every `--every`
seconds a sample records the provider's RSS, the database's size (SQLite: the file, its
-wal and -shm; PostgreSQL: `pg_database_size`), logins done and errors. With
`--lifetimes`, rows live seconds instead of hours, so the run shows the database
levelling off where the purge deletes as much as the logins write.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import uvloop

from bench import config, flows, ours
from bench.config import Setup
from bench.host_speed import host_speed
from bench.machine import describe, load_average
from bench.measure import run_pool
from bench.postgres import Cluster, postgres_cluster
from bench.processes import Server, rss_mib
from bench.published import publish
from bench.run import start_mock_altinn, stopping
from bench.scenarios import Clients, http_clients
from bench.soak_lifetimes import short_lifetimes, toml_lines
from bench.soak_report import Sample, Soak, markdown

BROWSERS = 16
WARM_UP_SECONDS = 15.0
MIN_LIFETIME = 4
"""Below this, a login's own steps (PAR to token) could outlast the lifetimes."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench soak", description=__doc__)
    parser.add_argument("--seconds", type=float, default=360.0, help="length of the paced load")
    parser.add_argument("--rate", type=float, help="logins/s (default: half the warm-up's)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    parser.add_argument(
        "--warm-up", type=float, default=WARM_UP_SECONDS, help="closed-loop seconds first"
    )
    parser.add_argument(
        "--lifetimes",
        type=positive_seconds,
        metavar="SECONDS",
        help="every row a login leaves lives this long, purged 4 times per lifetime "
        "(bench/soak_lifetimes.py), so the database reaches its steady state in minutes",
    )
    parser.add_argument("--out", default=str(config.BENCH / "results"), help="results folder")
    return parser.parse_args(argv)


def positive_seconds(text: str) -> int:
    try:
        seconds = int(text)
    except ValueError:
        seconds = 0
    if seconds < MIN_LIFETIME:
        raise argparse.ArgumentTypeError(f"a whole number of seconds, at least {MIN_LIFETIME}")
    return seconds


FileSizes = Callable[[], dict[str, int]]


def sqlite_sizes(path: Path) -> FileSizes:
    def sizes() -> dict[str, int]:
        found = {}
        for suffix in ("", "-wal", "-shm"):
            file = Path(f"{path}{suffix}")
            found[f"db{suffix}"] = file.stat().st_size if file.exists() else 0
        return found

    return sizes


def postgres_sizes(cluster: Cluster, database: str) -> FileSizes:
    def sizes() -> dict[str, int]:
        done = subprocess.run(
            [
                str(cluster.bindir / "psql"),
                cluster.admin_url,
                "-Atc",
                f"SELECT pg_database_size('{database}')",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        return {"database": int(done.stdout.strip() or 0)}

    return sizes


class Load:
    """Logins and errors so far, counted as they happen (the samples read them)."""

    def __init__(self, target: flows.Target, clients: Clients) -> None:
        self.target = target
        self.clients = clients
        self.logins = 0
        self.errors = 0
        self.examples: list[str] = []
        self.pid = config.person()

    async def one(self, slot: int, _index: int) -> tuple[float, None]:
        started = time.perf_counter()
        try:
            login = await flows.login(
                self.target, self.clients.browsers[slot], self.clients.service, self.pid
            )
            await flows.redeem(self.target, self.clients.service, login)
        except Exception as error:
            self.errors += 1
            if len(self.examples) < 5:
                self.examples.append(f"{type(error).__name__}: {error}"[:300])
            raise
        self.logins += 1
        return time.perf_counter() - started, None


async def sample_until(
    done: asyncio.Event,
    began: float,
    every: float,
    provider: Server,
    sizes: FileSizes,
    load: Load,
    samples: list[Sample],
) -> None:
    """A sample now and every `every` seconds, and a last one once `done` is set."""

    def take() -> None:
        seconds = time.perf_counter() - began
        rss = rss_mib(provider.pid)
        samples.append(Sample(seconds, rss, load.logins, load.errors, sizes()))

    while not done.is_set():
        take()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout=every)
    take()


@contextlib.contextmanager
def database(kind: str, workdir: Path) -> Iterator[tuple[str, Callable[[], FileSizes]]]:
    """The database URL, and how to read its size once the provider has created it."""
    if kind == "sqlite":
        setup = Setup("ours", "sqlite", 1)
        path = workdir / f"{setup.short}.db"
        yield ours.sqlite_url(workdir, setup), lambda: sqlite_sizes(path)
        return
    with postgres_cluster() as cluster:
        name = "bench_soak"
        url = cluster.create_database(name)
        yield url, lambda: postgres_sizes(cluster, name)


async def soak(args: argparse.Namespace) -> Soak:
    machine = describe()
    with tempfile.TemporaryDirectory(prefix="ansattporten-bench-soak-") as tmp:
        workdir = Path(tmp)
        log_dir = workdir / "logs"
        log_dir.mkdir()
        setup = Setup("ours", args.database, 1)
        lifetimes = {} if args.lifetimes is None else short_lifetimes(args.lifetimes)
        with (
            database(args.database, workdir) as (url, sizes_of),
            stopping(start_mock_altinn(0, log_dir)) as altinn,
            stopping(
                ours.start_ours(setup, altinn.url, url, workdir, log_dir, toml_lines(lifetimes))
            ) as provider,
        ):
            async with http_clients(BROWSERS) as clients:
                target = await flows.Target.discover("ours", provider.url, clients.service)
                load = Load(target, clients)
                capacity = None
                rate = args.rate
                if rate is None:
                    warm = await run_pool(10**9, BROWSERS, args.warm_up, load.one)
                    if not warm.latencies:
                        raise SystemExit(f"the warm-up failed: {warm.errors[:3]}")
                    capacity = len(warm.latencies) / warm.wall
                    rate = capacity / 2
                load.logins = load.errors = 0
                load.examples.clear()
                result = Soak(
                    args.database,
                    rate,
                    capacity,
                    args.seconds,
                    lifetime=args.lifetimes,
                    lifetimes=lifetimes,
                    about=[
                        f"- machine: {machine.cpu_model}, {machine.cores} cores; "
                        f"Python {machine.python}; source {machine.source_digest}",
                        f"- started {datetime.now():%Y-%m-%d %H:%M}; load average "
                        + " ".join(f"{v:.2f}" for v in load_average())
                        + f"; host speed probe {host_speed():.0f} iterations/s",
                        "- provider: `ansattporten serve`, 1 worker; mock Altinn without delay; "
                        f"{BROWSERS} browsers, full RAR logins + token",
                    ],
                )
                done = asyncio.Event()
                began = time.perf_counter()
                sampler = asyncio.create_task(
                    sample_until(
                        done, began, args.every, provider, sizes_of(), load, result.samples
                    )
                )
                count = int(rate * args.seconds) + 1
                paced = await run_pool(count, BROWSERS, args.seconds, load.one, rate)
                done.set()
                await sampler
                # the pool's own failures (a loop that did not finish) are errors too
                result.error_examples = [*load.examples, *paced.errors[load.errors :]]
                return result


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    result = uvloop.run(soak(args))
    text = markdown(result)
    publish(text, args.out, f"{datetime.now():%Y-%m-%d}-{describe().slug}-soak-{args.database}.md")
    return 0 if result.last.errors == 0 and not result.error_examples else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
