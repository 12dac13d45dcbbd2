"""Several of our providers, each served a different way, measured side by side: they
are all started at once and take turns at the same login load, round after round, so a
change in the machine's speed (other tenants, other helpers' test runs) falls on all of
them alike rather than on whichever ran last. Used by `python -m bench clients
--logins` (one transport each) and `python -m bench servers` (one ASGI server each).

Per contender and round: the provider's CPU (its whole process tree) per login + token,
from /proc. Over all rounds: the median and range of those, login latencies at 16
concurrent browsers, the peak RSS, and one paced pass (logins started at a steady rate)
for latency when the server is not saturated.
"""

from __future__ import annotations

import contextlib
import dataclasses
import statistics
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import config
from bench.config import Setup, Sizes
from bench.flows import Target
from bench.measure import Monitor, percentile
from bench.ours import Command, start_provider
from bench.processes import Server
from bench.run import stopping
from bench.scenarios import Runner, http_clients

LABEL_SETUP = Setup("ours", "sqlite", 1)
"""Every contender is ours on SQLite with one worker; only the way it is served varies."""


@dataclass(frozen=True)
class Way:
    """One way of serving the provider."""

    name: str
    about: str
    command: Command
    ready_log: Callable[[str], bool] | None = None


@dataclass
class Figures:
    way: Way
    round_cpu_ms: list[float] = field(default_factory=list)
    """Provider CPU ms per login + token, one entry per round."""
    latencies: list[float] = field(default_factory=list)
    paced: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    peak_rss_mib: float = 0.0
    peak_rss_detail: str = ""
    window_cpu_ms: float | None = None
    """Provider CPU over the whole pass (idle time between its turns included) per
    login of its rounds."""

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.round_cpu_ms) if self.round_cpu_ms else None

    def p(self, q: float, paced: bool = False) -> float | None:
        return percentile(self.paced if paced else self.latencies, q)


@dataclass
class Contender:
    way: Way
    server: Server
    runner: Runner
    figures: Figures


def sizes_for(rounds_logins: int, warm_up: int) -> Sizes:
    return dataclasses.replace(
        config.QUICK,
        name="turns",
        warm_up_logins=warm_up,
        scenario_seconds=120,
        login_concurrent=rounds_logins,
    )


@contextlib.asynccontextmanager
async def contenders(
    ways: list[Way], altinn: Server, workdir: Path, log_dir: Path, sizes: Sizes
) -> AsyncIterator[list[Contender]]:
    """Every way started (each with its own SQLite file), discovered and ready; all
    stopped on the way out."""
    async with contextlib.AsyncExitStack() as stack:
        started = []
        for way in ways:
            database = f"sqlite:///{workdir / (way.name + '.db')}"
            server = stack.enter_context(
                stopping(
                    start_provider(
                        way.name, way.command, altinn.url, database, workdir, log_dir, way.ready_log
                    )
                )
            )
            clients = await stack.enter_async_context(http_clients(sizes.concurrency))
            target = await Target.discover(way.name, server.url, clients.service)
            monitor = Monitor({"provider": server.pid, "register": altinn.pid})
            deadline = time.monotonic() + 3600
            runner = Runner(LABEL_SETUP, target, monitor, sizes, clients, deadline)
            started.append(Contender(way, server, runner, Figures(way)))
        yield started


async def take_turns(
    started: list[Contender], rounds: int, logins: int, paced_logins: int, rate: float
) -> list[Figures]:
    """Warm every contender up, then `rounds` rounds of `logins` logins at 16 concurrent
    each, in an order that rotates every round; then a paced pass each."""
    for contender in started:
        await contender.runner.warm_up()
    first = {id(c): c.runner.monitor.snapshot()["provider"] for c in started}
    for number in range(rounds):
        shift = number % len(started)
        for contender in started[shift:] + started[:shift]:
            runner = contender.runner
            found = await runner.full_login(runner.sizes.concurrency, logins)
            figures = contender.figures
            per_login = found.cpu_ms_per_op("provider")
            if per_login is not None:
                figures.round_cpu_ms.append(per_login)
            figures.latencies += found.latencies
            figures.errors += found.errors
            if found.rss is not None:
                total = sum(mib for _, mib in found.rss.per_process)
                if total > figures.peak_rss_mib:
                    figures.peak_rss_mib, figures.peak_rss_detail = total, found.rss.describe()
    for contender in started:
        whole = contender.runner.monitor.snapshot()["provider"] - first[id(contender)]
        done = len(contender.figures.latencies)
        contender.figures.window_cpu_ms = 1000 * whole / done if done else None
    for contender in started:
        runner = contender.runner
        found = await runner.full_login(runner.sizes.concurrency, paced_logins, rate)
        contender.figures.paced = found.latencies
        contender.figures.errors += found.errors
    return [contender.figures for contender in started]


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def paired_ratios(figures: Figures, reference: Figures) -> list[float]:
    """This way's CPU per login over the reference's, round by round: the two ran
    back to back in each round, so a drift in the machine's speed between rounds falls
    on both and cancels out of the ratio."""
    return [
        mine / theirs
        for mine, theirs in zip(figures.round_cpu_ms, reference.round_cpu_ms, strict=False)
        if theirs > 0
    ]


def _paired(figures: Figures, reference: Figures | None) -> str:
    ratios = paired_ratios(figures, reference) if reference is not None else []
    if not ratios:
        return "-"
    return f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})"


def table(results: list[Figures], rate: float, reference: str | None = None) -> list[str]:
    """The Markdown table of a pass: one row per way; with `reference` (a way's name),
    also each way's round-by-round ratio to it."""
    best = min((f.cpu_median for f in results if f.cpu_median is not None), default=None)
    base = next((f for f in results if f.way.name == reference), None)
    lines = [
        "| way | CPU ms per login + token: median (min-max) over rounds | vs best "
        f"| paired vs {reference or '-'}: median (min-max) of round ratios "
        "| incl. idle | logins | c16 p50 / p99 ms "
        f"| paced {rate:.0f}/s p50 / p99 ms | peak RSS MiB | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in results:
        spread = (
            f"{_num(f.cpu_median)} ({_num(min(f.round_cpu_ms))}-{_num(max(f.round_cpu_ms))})"
            if f.round_cpu_ms
            else "-"
        )
        versus = (
            f"{f.cpu_median / best:.3f}" if f.cpu_median is not None and best is not None else "-"
        )
        ms = 1000.0
        lines.append(
            f"| {f.way.name} | {spread} | {versus} | {_paired(f, base)} "
            f"| {_num(f.window_cpu_ms)} "
            f"| {len(f.latencies)} "
            f"| {_num(_scaled(f.p(50), ms), 1)} / {_num(_scaled(f.p(99), ms), 1)} "
            f"| {_num(_scaled(f.p(50, True), ms), 1)} / {_num(_scaled(f.p(99, True), ms), 1)} "
            f"| {f.peak_rss_mib:.0f} ({f.peak_rss_detail}) | {len(f.errors)} |"
        )
    return [*lines, *error_lines(results)]


def error_lines(results: list[Figures]) -> list[str]:
    """What went wrong, per way: each distinct message once, with its count."""
    lines = []
    for f in results:
        counts: dict[str, int] = {}
        for error in f.errors:
            counts[error[:160]] = counts.get(error[:160], 0) + 1
        lines += [f"- {f.way.name}: {n} × {message}" for message, n in sorted(counts.items())]
    return ["", "Errors:", "", *lines] if lines else []


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor
