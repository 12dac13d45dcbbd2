"""One measurement of one register client, in a process of its own:

    python -m bench.client_probe VARIANT BASE_URL --calls N --concurrency C

Opens the client on uvloop (as the provider's server runs), makes `--warm-up` calls
unmeasured (imports, pools, first-call caches), then `--calls` calls on `--concurrency`
tasks, and prints one JSON line: the process's CPU seconds (user + system, every
thread: curl_cffi and pyreqwest do their I/O on threads of their own), wall seconds,
calls made and failures. `--calls 0` measures nothing and prints zeros: under
callgrind, a run with 0 and one with N calls differ by N calls' instructions exactly.

A process per measurement keeps one library's heap, pools and imports from weighing
on the next.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import time

import uvloop

from bench.register_clients import VARIANTS


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(
    variant: str, base_url: str, calls: int, concurrency: int, warm_up: int
) -> dict[str, float]:
    opener, _ = VARIANTS[variant]
    async with opener(base_url) as call:
        expected = await call()
        if expected < 1:
            raise SystemExit(f"{variant}: the register listed no parties")

        async def worker(count: int) -> int:
            failures = 0
            for _ in range(count):
                try:
                    if await call() != expected:
                        failures += 1
                except Exception:  # a failure is counted, and reported, not hidden
                    failures += 1
            return failures

        async def loop(total: int) -> int:
            shares = [total // concurrency + (i < total % concurrency) for i in range(concurrency)]
            return sum(await asyncio.gather(*(worker(n) for n in shares if n)))

        await loop(warm_up)
        gc.collect()
        cpu, wall = cpu_seconds(), time.perf_counter()
        failures = await loop(calls)
        cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
    return {"cpu": cpu, "wall": wall, "calls": calls, "failures": failures}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.client_probe")
    parser.add_argument("variant", choices=sorted(VARIANTS))
    parser.add_argument("base_url")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--warm-up", type=int, default=200)
    args = parser.parse_args()
    found = uvloop.run(run(args.variant, args.base_url, args.calls, args.concurrency, args.warm_up))
    print(json.dumps(found), flush=True)


if __name__ == "__main__":
    main()
