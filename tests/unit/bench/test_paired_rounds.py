"""Rounds of the paired pass add up to one measurement, as one longer loop would."""

from __future__ import annotations

from datetime import datetime

from bench.config import PAIRED, QUICK, Setup
from bench.machine import describe
from bench.measure import Measurement
from bench.report import paired_table, throughput_table
from bench.run import RunResult

OURS = Setup("ours", "sqlite", 1)


def one_round(logins: int, wall: float, provider_seconds: float) -> Measurement:
    measured = Measurement(OURS, "login-c16", wall=wall)
    measured.latencies = [0.05] * logins
    measured.cpu = {"provider": provider_seconds, "register": 0.01}
    return measured


def test_rounds_add_up_and_each_keeps_its_own_cpu_per_login() -> None:
    total = Measurement(OURS, PAIRED)
    total.add_round(one_round(100, 1.0, 0.5))  # 5 ms per login
    total.add_round(one_round(300, 2.0, 1.2))  # 4 ms per login
    assert total.count == 400
    assert total.rate == 400 / 3.0
    assert total.cpu == {"provider": 1.7, "register": 0.02}
    assert total.cpu_ms_per_op("provider") == 1000 * 1.7 / 400
    assert total.rounds == [5.0, 4.0]


def test_cpu_spent_while_the_other_side_ran_is_charged_to_its_owner() -> None:
    ours = Measurement(OURS, PAIRED)
    ours.add_round(one_round(100, 1.0, 0.5))
    theirs = Measurement(Setup("node", "memory", 1), PAIRED)
    theirs.add_round(one_round(100, 1.0, 0.6))
    theirs.cpu["other"] = 0.05
    ours.cpu["other"] = 0.2  # 0.15 s of it was theirs, collecting garbage while we ran
    theirs.charge_idle_cpu(0.15, ours)
    assert theirs.cpu["provider"] == 0.75
    assert ours.cpu["other"] == 0.2 - 0.15
    assert theirs.rounds == [6.0]  # the per-round figures stay their own rounds'
    ours.charge_idle_cpu(-0.01, theirs)  # clock noise: never a refund
    assert ours.cpu["provider"] == 0.5


def test_ours_in_two_pairs_is_compared_with_each_partner_on_its_own_rounds() -> None:
    """Ours on SQLite takes turns with theirs on SQLite and, separately, with theirs in
    memory: each row of the paired table must use the rounds of that pair only."""
    node_sqlite, node_memory = Setup("node", "sqlite", 1), Setup("node", "memory", 1)
    measured = []
    for partner, ours_seconds, theirs_seconds in ((node_sqlite, 0.4, 0.8), (node_memory, 0.5, 0.6)):
        ours = Measurement(OURS, PAIRED, partner=partner)
        ours.add_round(one_round(100, 1.0, ours_seconds))
        theirs = Measurement(partner, PAIRED, partner=OURS)
        theirs.add_round(one_round(100, 1.0, theirs_seconds))
        measured += [ours, theirs]
    result = RunResult(describe(), QUICK, datetime(2026, 11, 22), measurements=measured)

    rows = [row for row in paired_table(result) if row.startswith("| ours ·")]

    assert len(rows) == 2
    by_partner = {row.split(" | ")[1]: row.split(" | ") for row in rows}
    assert by_partner[node_sqlite.label][3:6] == ["4.0", "8.0", "0.50"]
    assert by_partner[node_memory.label][3:6] == ["5.0", "6.0", "0.83"]
    assert "login-c16-paired (with node-memory-1)" in "\n".join(throughput_table(result))
