"""`python -m bench clients`: CPU per register call of each HTTP client in
`bench.register_clients`, and with `--logins`, CPU per login of this checkout's
provider against the provider at `--baseline` (a git ref, `main` by default), taking
turns at the same logins (`bench.baseline`, `bench.turns`).

Per call: one mock Altinn (`ansattporten mock-altinn`, the demo fixture) on 127.0.0.1;
each round runs every variant once, in a shuffled order, in a fresh process
(`bench.client_probe`) that warms up and then times its calls with the process's own
CPU clock (getrusage: user + system, every thread). Wall time is printed too, but the
machine is shared: CPU time and instruction counts are the figures to compare.
`--callgrind` also counts instructions under valgrind: a run with N calls minus a run
with none, divided by N, which leaves start-up and imports out and barely moves
between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import uvloop

from bench import config
from bench.baseline import at_ref, this_checkout
from bench.host_speed import host_speed
from bench.machine import describe, load_average
from bench.processes import Server
from bench.published import publish
from bench.register_clients import VARIANTS, answer_size
from bench.run import start_mock_altinn, stopping
from bench.turns import contenders, sizes_for, table, take_turns

PYTHON = str(config.VENV_BIN / "python")


@dataclass
class PerCall:
    variant: str
    concurrency: int
    cpu_us: list[float] = field(default_factory=list)
    wall_us: list[float] = field(default_factory=list)
    failures: int = 0
    instructions: float | None = None
    problem: str = ""


def probe_command(variant: str, url: str, calls: int, warm_up: int) -> list[str]:
    return [
        PYTHON,
        "-m",
        "bench.client_probe",
        variant,
        url,
        "--calls",
        str(calls),
        "--warm-up",
        str(warm_up),
    ]


def probe(variant: str, url: str, calls: int, concurrency: int, warm_up: int) -> dict[str, float]:
    done = subprocess.run(
        [*probe_command(variant, url, calls, warm_up), "--concurrency", str(concurrency)],
        capture_output=True,
        text=True,
        cwd=config.REPO,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    found: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def instructions(variant: str, url: str, calls: int, warm_up: int) -> int:
    """Instructions the whole probe process executed under callgrind."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            *probe_command(variant, url, calls, warm_up),
        ],
        capture_output=True,
        text=True,
        cwd=config.REPO,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        timeout=1800,
        check=False,
    )
    match = COLLECTED.search(done.stderr)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"callgrind failed: {done.stderr.strip()[-300:]}")
    return int(match.group(1))


def available(variant: str) -> str:
    """Empty when the variant's library imports; otherwise why not."""
    module = {
        "aiohttp": "aiohttp",
        "niquests": "niquests",
        "curl-cffi": "curl_cffi",
        "pyreqwest": "pyreqwest",
        "aiosonic": "aiosonic",
    }.get(variant)
    if module is None:
        return ""
    done = subprocess.run([PYTHON, "-c", f"import {module}"], capture_output=True, check=False)
    if done.returncode == 0:
        return ""
    if variant == "niquests":  # left out of the extra: see pyproject.toml
        return "not installed (pip install niquests, in a virtualenv of its own)"
    return "not installed (pip install -e '.[bench]')"


def per_call(args: argparse.Namespace, url: str, variants: list[str]) -> list[PerCall]:
    results = {(v, c): PerCall(v, c) for v in variants for c in args.concurrency}
    for result in results.values():
        result.problem = available(result.variant)
    order = random.Random(1)
    for number in range(args.rounds):
        shuffled = list(results.values())
        order.shuffle(shuffled)
        print(f"round {number + 1}/{args.rounds}", flush=True)
        for result in shuffled:
            if result.problem:
                continue
            try:
                found = probe(result.variant, url, args.calls, result.concurrency, args.warm_up)
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                result.problem = str(error)[:200]
                continue
            result.cpu_us.append(1e6 * found["cpu"] / found["calls"])
            result.wall_us.append(1e6 * found["wall"] / found["calls"])
            result.failures += int(found["failures"])
    if args.callgrind:
        for result in results.values():
            if result.problem or result.concurrency != 1:
                continue
            print(f"callgrind: {result.variant}", flush=True)
            try:
                some = instructions(result.variant, url, args.callgrind_calls, args.warm_up)
                none = instructions(result.variant, url, 0, args.warm_up)
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                result.problem = str(error)[:200]
                continue
            result.instructions = (some - none) / args.callgrind_calls
    return list(results.values())


def per_call_table(results: list[PerCall], baseline: str = "ours") -> list[str]:
    base = {
        r.concurrency: statistics.median(r.cpu_us)
        for r in results
        if r.variant == baseline and r.cpu_us
    }
    lines = [
        "| client | concurrent calls | CPU µs per call: median (min-max) | vs ours "
        "| wall µs per call (median) | instructions per call (callgrind) | failures | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in sorted(results, key=lambda r: (r.concurrency, _median(r.cpu_us) or 1e12)):
        median = _median(r.cpu_us)
        spread = (
            f"{median:.0f} ({min(r.cpu_us):.0f}-{max(r.cpu_us):.0f})" if median is not None else "-"
        )
        ratio = (
            f"{median / base[r.concurrency]:.2f}"
            if median is not None and base.get(r.concurrency)
            else "-"
        )
        wall = _median(r.wall_us)
        instr = f"{r.instructions / 1000:.0f} k" if r.instructions is not None else "-"
        lines.append(
            f"| {r.variant} | {r.concurrency} | {spread} | {ratio} "
            f"| {'-' if wall is None else f'{wall:.0f}'} | {instr} | {r.failures} "
            f"| {r.problem or VARIANTS[r.variant][1]} |"
        )
    return lines


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench clients", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=2000, help="measured calls per probe")
    parser.add_argument("--warm-up", type=int, default=200)
    parser.add_argument(
        "--concurrency", type=int, action="append", help="concurrent calls (repeatable; 1, 16)"
    )
    parser.add_argument("--only", action="append", choices=sorted(VARIANTS), metavar="CLIENT")
    parser.add_argument("--callgrind", action="store_true", help="also count instructions")
    parser.add_argument("--callgrind-calls", type=int, default=300)
    parser.add_argument(
        "--logins", action="store_true", help="also CPU per login, against --baseline"
    )
    parser.add_argument(
        "--baseline", default="main", help="git ref whose provider --logins compares with"
    )
    parser.add_argument("--login-rounds", type=int, default=6)
    parser.add_argument("--round-logins", type=int, default=200)
    parser.add_argument("--out", default=str(config.BENCH / "results"), help="results folder")
    args = parser.parse_args(argv)
    args.concurrency = args.concurrency or [1, 16]
    if args.callgrind and shutil.which("valgrind") is None:
        parser.error("--callgrind needs valgrind (Debian's valgrind package)")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    variants = args.only or list(VARIANTS)
    machine = describe()
    started = datetime.now()
    lines = [
        f"# Register clients: CPU per call · {started:%Y-%m-%d %H:%M}",
        "",
        f"- machine: {machine.cpu_model}, {machine.cores} cores; Python {machine.python}",
        f"- load average at start: {' '.join(f'{v:.2f}' for v in load_average())}; "
        f"host speed probe: {host_speed():.0f} iterations/s",
        f"- {args.rounds} rounds × {args.calls} calls per client and concurrency, after "
        f"{args.warm_up} unmeasured; POST authorized parties to the mock Altinn "
        "(the demo fixture's `main_with_subunits`) over loopback",
    ]
    with tempfile.TemporaryDirectory(prefix="ansattporten-bench-clients-") as tmp:
        workdir = Path(tmp)
        log_dir = workdir / "logs"
        log_dir.mkdir()
        with stopping(start_mock_altinn(0, log_dir)) as altinn:
            lines[-1] += f", a {answer_size(altinn.url)}-byte answer"
            results = per_call(args, altinn.url, variants)
            lines += ["", "## Per call", "", *per_call_table(results)]
            if args.logins:
                lines += login_pass(args, altinn, workdir, log_dir)
    lines.insert(4, f"- load average at end: {' '.join(f'{v:.2f}' for v in load_average())}")
    text = "\n".join(lines) + "\n"
    publish(text, args.out, f"{started:%Y-%m-%d}-{machine.slug}-clients.md")
    return 0


def login_pass(args: argparse.Namespace, altinn: Server, workdir: Path, log_dir: Path) -> list[str]:
    sizes = sizes_for(args.round_logins, warm_up=200)
    ways = [this_checkout(), at_ref(args.baseline, workdir)]
    print(f"per login: this checkout and {ways[1].name}, taking turns", flush=True)

    async def run() -> list[str]:
        async with contenders(ways, altinn, workdir, log_dir, sizes) as started:
            found = await take_turns(
                started, args.login_rounds, args.round_logins, 300, config.PACED_RATE
            )
        return table(found, config.PACED_RATE, reference=ways[1].name)

    rows = uvloop.run(run())
    return [
        "",
        f"## Per login (provider CPU): this checkout against {ways[1].about}",
        "",
        f"{args.login_rounds} rounds × {args.round_logins} logins at 16 concurrent each, "
        "the providers taking turns (order rotated every round); a login makes two "
        "register calls.",
        "",
        *rows,
    ]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
