"""`python -m bench steps`: where a login's CPU goes, step by step (PAR, authorize, the
login page and its POST, the picker page and its POST, token), on SQLite and on
PostgreSQL, beside the least a request can cost on the same stack.

The provider is `bench.step_timed_app` (the application with each request's
main-thread CPU added up by step; patterns from `ansattporten/routes.py`) under uvicorn
with one worker, as `bench.dbcost` serves its counted app. After `--warm-up` logins the
totals are cleared, `--logins` full logins run *one at a time* (so a request's interval
holds its own work only), and the totals and the process tree's CPU are read again.
Sequential requests cost more each than 16 concurrent ones (every request wakes the
loop for itself; nothing is batched), so the figures compare steps with each other and
with the floor measured in the same run: a bare Litestar app (`bench.floor_app`) on the
same uvicorn settings answering a small page and a 303 redirect, sequentially, and one
RS256 signature (a token answer signs two: the access token and the ID token). For the
ratio to node-oidc-provider use the paired benchmark (`python -m bench`).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import uvloop
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from bench import config, flows
from bench.dbcost import Database, login_setting
from bench.machine import describe, load_average
from bench.measure import run_pool
from bench.ours import start_provider
from bench.processes import Server, cpu_seconds, free_port, start_server
from bench.published import publish
from bench.run import stopping
from bench.scenarios import http_clients
from bench.step_timer import COSTS_PATH, FLOOR_PAGE, FLOOR_REDIRECT, RESET_PATH
from bench.steps_report import Floor, StepRun, Totals, floor_table, step_table
from bench.uvicorn_command import uvicorn_serving
from bench.wire import Session

SECONDS_LIMIT = 900.0
SIGNATURES = 200


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench steps", description=__doc__)
    parser.add_argument("--logins", type=int, default=1000, help="measured logins per database")
    parser.add_argument("--warm-up", type=int, default=200, help="unmeasured logins first")
    parser.add_argument(
        "--database", action="append", choices=("sqlite", "postgres"), help="default: both"
    )
    parser.add_argument(
        "--floor-requests", type=int, default=2000, help="requests per floor path (default 2000)"
    )
    parser.add_argument("--out", default=str(config.BENCH / "results"), help="results folder")
    return parser.parse_args(argv)


def provider_command(port: int, _settings: Path) -> list[str]:
    return [*uvicorn_serving("bench.step_timed_app:app"), "--port", str(port)]


async def totals(server: Server) -> Totals:
    async with httpx.AsyncClient() as http:
        body = (await http.get(server.url + COSTS_PATH)).json()
    return {label: (float(seconds), int(count)) for label, (seconds, count) in body.items()}


async def reset(server: Server) -> None:
    async with httpx.AsyncClient() as http:
        (await http.post(server.url + RESET_PATH)).raise_for_status()


async def measure(
    database: Database, altinn: Server, workdir: Path, args: argparse.Namespace
) -> StepRun:
    name = f"steps-{database.kind.lower()}"
    with stopping(
        start_provider(name, provider_command, altinn.url, database.url, workdir, workdir / "logs")
    ) as provider:
        async with http_clients(1) as clients:
            target = await flows.Target.discover(name, provider.url, clients.service)
            pid = config.person()

            async def one(_slot: int, _index: int) -> tuple[float, None]:
                browser = clients.browsers[0]
                return (await flows.full_login(target, browser, clients.service, pid)).seconds, None

            await run_pool(args.warm_up, 1, SECONDS_LIMIT, one)
            await reset(provider)
            cpu_before, started = cpu_seconds(provider.pid), time.perf_counter()
            done = await run_pool(args.logins, 1, SECONDS_LIMIT, one)
            cpu_after, ended = cpu_seconds(provider.pid), time.perf_counter()
            steps = await totals(provider)
    if done.errors or not done.latencies:
        raise SystemExit(f"{database.kind}: {len(done.errors)} logins failed: {done.errors[:3]}")
    logins = len(done.latencies)
    return StepRun(database.kind, logins, steps, cpu_after - cpu_before, ended - started)


async def measure_floor(log_dir: Path, requests: int) -> list[Floor]:
    port = free_port()
    command = [*uvicorn_serving("bench.floor_app:app"), "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    found = []
    with stopping(
        start_server("floor", command, url=url, ready_path="/health", log_dir=log_dir)
    ) as server:
        client = Session(keep_cookies=False)
        try:
            for label, path in (
                ("small HTML page (3 KB, no template)", FLOOR_PAGE),
                ("303 redirect", FLOOR_REDIRECT),
            ):
                for _ in range(min(requests, 200)):
                    await client.get(url + path)
                await reset(server)
                cpu_before = cpu_seconds(server.pid)
                for _ in range(requests):
                    await client.get(url + path)
                cpu_after = cpu_seconds(server.pid)
                app_seconds, counted = (await totals(server))[path]
                found.append(Floor(label, counted, app_seconds, cpu_after - cpu_before))
        finally:
            await client.aclose()
    return found


def signature_ms(count: int = SIGNATURES) -> float:
    """CPU of one RS256 signature over a token-sized payload, in this process."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    payload = b"x" * 600
    key.sign(payload, padding.PKCS1v15(), hashes.SHA256())
    started = time.thread_time()
    for _ in range(count):
        key.sign(payload, padding.PKCS1v15(), hashes.SHA256())
    return 1000 * (time.thread_time() - started) / count


async def run(args: argparse.Namespace) -> tuple[list[StepRun], list[Floor]]:
    with login_setting("steps", args.database or ["sqlite", "postgres"]) as setting:
        workdir, chosen, altinn = setting
        runs = [await measure(database, altinn, workdir, args) for database in chosen]
        floors = await measure_floor(workdir / "logs", args.floor_requests)
    return runs, floors


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    load_before = load_average()[0]
    runs, floors = uvloop.run(run(args))
    signature = signature_ms()
    machine = describe()
    packages = machine.python_packages
    rates = ", ".join(f"{r.database} {r.logins / r.wall_seconds:.0f}/s" for r in runs)
    text = "\n".join(
        [
            f"# CPU per login step · {datetime.now():%Y-%m-%d %H:%M}",
            "",
            f"- `python -m bench steps --logins {args.logins} --warm-up {args.warm_up}`; "
            f"source {machine.source_digest}",
            f"- {machine.cpu_model}, {machine.cores} cores, {machine.os_name}, "
            f"Python {machine.python}, Litestar {packages.get('litestar', '?')}, "
            f"uvicorn {packages.get('uvicorn', '?')} (uvloop, httptools, one worker), "
            f"SQLite {packages.get('SQLite', '?')}",
            f"- full RAR logins (PAR … token) **one at a time**, mock Altinn; logins/s: {rates}; "
            f"load average (1 min) {load_before:.2f} before, {load_average()[0]:.2f} after",
            "",
            *step_table(runs),
            "",
            "A step's figure is the CPU of the provider's main thread from the application's",
            "call to its return (`bench/step_timer.py`, `time.thread_time`); the process CPU",
            "also holds uvicorn's reading and writing outside that call, other threads",
            "(SQLite's checkpoints) and the timers between requests. **Sequential requests",
            "cost more each than 16 concurrent ones** (every request wakes the loop for",
            "itself, nothing is batched): compare steps with each other and with the floor",
            "below, not with the paired benchmark's CPU per login.",
            "",
            "The floor on this stack, measured in the same run the same way:",
            "",
            *floor_table(floors, signature),
            "",
        ]
    )
    publish(text, args.out, f"{datetime.now():%Y-%m-%d}-{machine.slug}-steps.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
