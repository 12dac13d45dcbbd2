"""One benchmark run: start the registers (and PostgreSQL), then for every setup start
the provider, run the scenarios, stop it. Everything is stopped in `finally` blocks."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

from bench import config, floor_login, node_provider, ours
from bench.config import Setup, Sizes
from bench.flows import FlowError, Target
from bench.host_speed import host_speed
from bench.machine import Machine, describe, load_average
from bench.measure import Measurement, Monitor
from bench.postgres import Cluster, postgres_cluster
from bench.processes import Server, StartError, free_port, start_server
from bench.scenarios import Runner, http_clients
from bench.wire import WireError

MIN_SETUP_SECONDS = 12.0
"""A setup is not started with less time than this left before the run's limit."""


@dataclass
class RunResult:
    machine: Machine
    sizes: Sizes
    started: datetime
    seconds: float = 0.0
    measurements: list[Measurement] = field(default_factory=list)
    skipped: list[tuple[Setup, str]] = field(default_factory=list)
    load: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)
    speed: list[tuple[str, float]] = field(default_factory=list)
    """`host_speed` before each setup."""
    peak_reset: bool = True


SETTLE_SECONDS = 2.0
"""Paired pass: how long after the last round each side's CPU is still counted."""


def start_mock_altinn(delay_ms: int, log_dir: Path) -> Server:
    port = free_port()
    command = [
        str(config.VENV_BIN / "ansattporten"),
        "mock-altinn",
        "--fixtures",
        str(config.ALTINN_FIXTURE),
        "--port",
        str(port),
        "--delay-ms",
        str(delay_ms),
    ]
    return start_server(
        f"mock-altinn-{delay_ms}ms",
        command,
        url=f"http://127.0.0.1:{port}",
        ready_path="/health",
        log_dir=log_dir,
        cwd=config.REPO,
    )


@contextlib.contextmanager
def stopping(server: Server) -> Iterator[Server]:
    try:
        yield server
    finally:
        server.stop()


class Bench:
    def __init__(self, sizes: Sizes, setups: list[Setup], log_dir: Path, workdir: Path) -> None:
        self.sizes = sizes
        self.setups = setups
        self.log_dir = log_dir
        self.workdir = workdir
        self.cluster: Cluster | None = None
        self.result = RunResult(describe(), sizes, datetime.now())
        self.deadline = time.monotonic() + sizes.time_limit

    def start_provider(self, setup: Setup, altinn: Server, database_url: str | None) -> Server:
        if setup.provider == "ours":
            assert database_url is not None
            return ours.start_ours(setup, altinn.url, database_url, self.workdir, self.log_dir)
        if setup.provider == "floor":
            database = None if database_url is None else Path(database_url.split("///", 1)[1])
            return floor_login.start_floor(altinn.url, self.log_dir, setup.short, database)
        return node_provider.start_node(setup, altinn.url, database_url, self.workdir, self.log_dir)

    def database_for(self, setup: Setup) -> str | None:
        if setup.store == "sqlite":
            return ours.sqlite_url(self.workdir, setup)
        if setup.store == "postgres":
            assert self.cluster is not None
            return self.cluster.create_database(
                f"bench_{setup.short.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
            )
        return None

    def monitor_for(self, setup: Setup, provider: Server, altinn: Server) -> Monitor:
        roots = {"provider": provider.pid, "register": altinn.pid}
        if setup.store == "postgres" and self.cluster is not None:
            roots["database"] = self.cluster.postmaster_pid
        return Monitor(roots)

    async def run_setup(self, setup: Setup, altinn: Server, picker: bool) -> list[Measurement]:
        database_url = self.database_for(setup)
        with stopping(self.start_provider(setup, altinn, database_url)) as provider:
            monitor = self.monitor_for(setup, provider, altinn)
            async with http_clients(self.sizes.concurrency) as clients:
                target = await Target.discover(setup.short, provider.url, clients.service)
                runner = Runner(setup, target, monitor, self.sizes, clients, self.deadline)
                found = await runner.picker() if picker else await runner.all_main()
            self.result.peak_reset = self.result.peak_reset and monitor.rss_reset_works
            return found

    async def run_pair(self, pair: tuple[Setup, Setup], altinn: Server) -> list[Measurement]:
        """Both providers of a pair started side by side, then `paired_rounds` rounds in
        which each in turn runs `paired_logins` logins at 16 concurrent (the other one
        idles). Each side's rounds add up to one measurement, and each side is also
        charged the CPU its processes spent while the other ran (from its first round
        until `SETTLE_SECONDS` after the last): V8, for one, collects garbage when its
        loop goes idle, which is exactly when the other side runs."""
        sizes = self.sizes
        async with contextlib.AsyncExitStack() as stack:
            runners = []
            for setup in pair:
                provider = stack.enter_context(
                    stopping(self.start_provider(setup, altinn, self.database_for(setup)))
                )
                clients = await stack.enter_async_context(http_clients(sizes.concurrency))
                target = await Target.discover(setup.short, provider.url, clients.service)
                monitor = self.monitor_for(setup, provider, altinn)
                runners.append(Runner(setup, target, monitor, sizes, clients, self.deadline))
            for runner in runners:
                await runner.warm_up()
            found = [
                Measurement(runner.setup, config.PAIRED, partner=partner.setup)
                for runner, partner in zip(runners, reversed(runners), strict=True)
            ]
            first = [runner.monitor.snapshot()["provider"] for runner in runners]
            for _ in range(sizes.paired_rounds):
                for runner, total in zip(runners, found, strict=True):
                    one = await runner.full_login(sizes.concurrency, sizes.paired_logins)
                    total.add_round(one)
            await asyncio.sleep(SETTLE_SECONDS)
            last = [runner.monitor.snapshot()["provider"] for runner in runners]
            for side, (total, other) in enumerate(((found[0], found[1]), (found[1], found[0]))):
                whole = last[side] - first[side]
                total.charge_idle_cpu(whole - total.cpu.get("provider", 0.0), other)
            return found

    async def run_pairs(self, altinn: Server) -> None:
        if not self.sizes.paired_rounds:
            return
        for pair in config.COUNTERPARTS:
            if not all(setup in self.setups for setup in pair):
                continue
            label = f"{pair[0].label} and {pair[1].label} (paired rounds)"
            if self.deadline - time.monotonic() < MIN_SETUP_SECONDS:
                self.result.skipped.append((pair[0], f"{label}: time limit reached"))
                continue
            print(f"-> {label}", flush=True)
            self.result.load.append((label, load_average()))
            self.result.speed.append((label, host_speed()))
            began = time.monotonic()
            try:
                self.result.measurements += await self.run_pair(pair, altinn)
                print(f"   done in {time.monotonic() - began:.0f} s", flush=True)
            except (StartError, FlowError, WireError, httpx.HTTPError, OSError) as error:
                traceback.print_exc()
                self.result.skipped.append(
                    (pair[0], f"{label}: {type(error).__name__}: {str(error)[:300]}")
                )

    def wants_picker(self, setup: Setup) -> bool:
        chosen = self.sizes.picker_setups
        return chosen is None or setup in chosen

    async def run(self, plain: Server, slow: Server) -> None:
        for setup in self.setups:
            if setup.provider == "floor":
                continue  # a yardstick for the paired rounds only (`run_pairs`)
            passes = [(plain, False)] + ([(slow, True)] if self.wants_picker(setup) else [])
            for altinn, picker in passes:
                label = f"{setup.label}{' (picker, Altinn +10 ms)' if picker else ''}"
                if self.deadline - time.monotonic() < MIN_SETUP_SECONDS:
                    self.result.skipped.append((setup, f"{label}: time limit reached"))
                    continue
                print(f"-> {label}", flush=True)
                self.result.load.append((label, load_average()))
                self.result.speed.append((label, host_speed()))
                began = time.monotonic()
                try:
                    self.result.measurements += await self.run_setup(setup, altinn, picker)
                    print(f"   done in {time.monotonic() - began:.0f} s", flush=True)
                except (StartError, FlowError, WireError, httpx.HTTPError, OSError) as error:
                    traceback.print_exc()
                    self.result.skipped.append(
                        (setup, f"{label}: {type(error).__name__}: {str(error)[:300]}")
                    )


async def run_bench(sizes: Sizes, setups: list[Setup]) -> RunResult:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ansattporten-bench-") as tmp:
        workdir = Path(tmp)
        log_dir = workdir / "logs"
        log_dir.mkdir()
        bench = Bench(sizes, setups, log_dir, workdir)
        machine = bench.result.machine
        if any(setup.provider == "node" for setup in setups):
            node_provider.ensure_installed()
            machine.node = node_provider.node_version()
            machine.node_packages = node_provider.package_versions()
        with contextlib.ExitStack() as stack:
            if any(setup.store == "postgres" for setup in setups):
                bench.cluster = stack.enter_context(postgres_cluster())
                machine.postgres = bench.cluster.version()
            plain = stack.enter_context(stopping(start_mock_altinn(0, log_dir)))
            slow = stack.enter_context(stopping(start_mock_altinn(config.PICKER_DELAY_MS, log_dir)))
            await bench.run(plain, slow)
            await bench.run_pairs(plain)
    bench.result.seconds = time.monotonic() - started
    return bench.result
