"""The floor login is a setup only when asked for: a default run is unchanged, `--only`
can name it, and the report labels it as the floor, not a provider, and says what it is."""

from __future__ import annotations

from datetime import datetime

from bench.__main__ import ORDER, choose_setups, parse_args
from bench.config import COUNTERPARTS, FLOOR, PAIRED, QUICK, Setup
from bench.floor_login import ABOUT
from bench.machine import describe
from bench.measure import Measurement
from bench.report import markdown
from bench.run import RunResult

NODE_SQLITE = Setup("node", "sqlite", 1)


def test_a_default_run_leaves_the_floor_out() -> None:
    assert FLOOR not in ORDER
    assert FLOOR not in choose_setups(parse_args(["--no-postgres"]))


def test_only_can_name_it_beside_node() -> None:
    args = parse_args(["--only", "floor-memory-1", "--only", "node-sqlite-1", "--no-postgres"])
    assert choose_setups(args) == [NODE_SQLITE, FLOOR]
    assert (FLOOR, NODE_SQLITE) in COUNTERPARTS
    assert (FLOOR, Setup("node", "memory", 1)) in COUNTERPARTS


def paired(setup: Setup, partner: Setup, seconds: float) -> Measurement:
    found = Measurement(setup, PAIRED, partner=partner)
    one = Measurement(setup, "login-c16", wall=1.0)
    one.latencies = [0.05] * 100
    one.cpu = {"provider": seconds}
    found.add_round(one)
    return found


def test_the_report_names_the_floor_and_says_what_it_does() -> None:
    measured = [paired(FLOOR, NODE_SQLITE, 0.2), paired(NODE_SQLITE, FLOOR, 0.6)]
    result = RunResult(describe(), QUICK, datetime(2026, 12, 8), measurements=measured)
    text = markdown(result, None)
    rows = [line for line in text.splitlines() if line.startswith("| FLOOR")]
    assert rows
    assert all("not a provider" in row for row in rows)
    (pair,) = [row for row in rows if "| node-oidc-provider · SQLite · 1 process | 1 |" in row]
    assert "| 2.0 | 6.0 | 0.33 |" in pair
    assert ABOUT in text


def test_a_report_without_the_floor_does_not_mention_it() -> None:
    ours = Setup("ours", "sqlite", 1)
    measured = [paired(ours, NODE_SQLITE, 0.2), paired(NODE_SQLITE, ours, 0.6)]
    result = RunResult(describe(), QUICK, datetime(2026, 12, 8), measurements=measured)
    assert ABOUT not in markdown(result, None)
