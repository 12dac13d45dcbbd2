"""How fast the host runs a fixed piece of Python at the moment, for the report.

The machines here change speed under the benchmark: the same fixed workload has run at
1450 and at 2540 iterations per second on one machine within a minute (another tenant,
or the clock of the virtual CPU). Throughput, latency at saturation and token
requests/s move with it, for both providers alike. The harness runs this probe before
each setup, while nothing is measured, so a reader can tell a slow run from a slow
provider. The paired pass needs no correction: its two sides take turns.
"""

from __future__ import annotations

import hashlib
import json
import time

PROBE_SECONDS = 0.5
_DOCUMENT = {"numbers": list(range(50)), "text": "x" * 200}
_BLOCK = b"y" * 500


def host_speed(seconds: float = PROBE_SECONDS) -> float:
    """Iterations per second of a JSON round trip plus a SHA-256 of 500 bytes: the
    interpreter, the allocator and a C hash, as a login's work mixes them."""
    iterations = 0
    started = time.perf_counter()
    deadline = started + seconds
    while (now := time.perf_counter()) < deadline:
        for _ in range(50):
            json.loads(json.dumps(_DOCUMENT))
            hashlib.sha256(_BLOCK).digest()
        iterations += 50
    return iterations / (now - started)


def speed_line(speeds: list[tuple[str, float]]) -> str:
    """The report's line: each setup's probe, and the slowest as a share of the fastest."""
    if not speeds:
        return "- host speed: not probed"
    values = [speed for _, speed in speeds]
    return (
        f"- host speed when each setup started (a fixed Python workload, iterations/s; "
        f"higher is faster; the slowest was {min(values) / max(values):.2f} of the fastest): "
        + "; ".join(f"{label}: {speed:.0f}" for label, speed in speeds)
    )
