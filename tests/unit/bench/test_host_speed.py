"""The host-speed probe: it measures work done (so a busier host reads slower), and the
report states each setup's reading and the spread between them."""

from __future__ import annotations

import threading
from datetime import datetime

from bench.config import QUICK
from bench.host_speed import host_speed, speed_line
from bench.machine import describe
from bench.report import environment
from bench.run import RunResult


def test_the_probe_reads_slower_while_another_thread_competes_for_the_interpreter() -> None:
    """Read alone before and after, so a host speeding up meanwhile cannot pass for the
    rival's share of the interpreter."""
    before = host_speed(0.3)
    stop = threading.Event()

    def compete() -> None:
        while not stop.is_set():
            sum(i * i for i in range(1000))

    rival = threading.Thread(target=compete)
    rival.start()
    try:
        shared = host_speed(0.3)
    finally:
        stop.set()
        rival.join()
    alone = max(before, host_speed(0.3))

    assert alone > 0
    # the GIL gives the probe at most about half of the interpreter's time
    assert shared < 0.8 * alone


def test_the_report_gives_each_setups_speed_and_the_spread() -> None:
    result = RunResult(describe(), QUICK, datetime(2026, 11, 22))
    result.speed = [("ours · SQLite · 1 worker", 2400.0), ("node · SQLite · 1 process", 1500.0)]

    [line] = [x for x in environment(result) if x.startswith("- host speed")]

    assert "ours · SQLite · 1 worker: 2400" in line
    assert "node · SQLite · 1 process: 1500" in line
    assert "the slowest was 0.62 of the fastest" in line


def test_a_run_without_probes_says_so() -> None:
    assert speed_line([]) == "- host speed: not probed"
