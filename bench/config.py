"""What is benchmarked: the setups, the person and organisation, and how much work each
mode does (every loop is bounded by a count and by time)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
VENV_BIN = REPO / ".venv" / "bin"
ALTINN_FIXTURE = REPO / "authz_sources" / "altinn" / "fixtures" / "demo.json"
PEOPLE_FILE = REPO / "tests" / "fixtures" / "altinn_people.json"

CLIENT_ID = "bench-service"
CLIENT_SECRET = "bench-secret-0123456789abcdef"
REDIRECT_URI = "http://service.bench.test/callback"
RESOURCE = "urn:altinn:resource:app_ttd_apps-test"
ORGNO = "314663799"
"""The AS the person picks (it holds every demo resource)."""
AUTHORIZATION_DETAILS = [{"type": "ansattporten:altinn:resource", "resource": RESOURCE}]
PICKER_DELAY_MS = 10
PACED_RATE = 60.0
SCENARIOS = ("login-seq", "login-c16", "token", "refresh", "introspect")
PAIRED = "login-c16-paired"
"""The paired pass's scenario: login-c16, the two providers of a pair taking turns."""
"""The main scenarios, in report order (plus "picker", the 10 ms pass)."""


def person() -> str:
    """The daglig leder of an AS with three sub-units (the picker lists four units)."""
    people: dict[str, str] = json.loads(PEOPLE_FILE.read_text())
    return people["main_with_subunits"]


Provider = Literal["ours", "node", "floor"]
"""`floor`: not a provider but the least a login costs on our stack
(`bench.floor_login_app`), run only when asked for."""
Store = Literal["sqlite", "postgres", "memory"]


@dataclass(frozen=True)
class Setup:
    provider: Provider
    store: Store
    workers: int

    @property
    def label(self) -> str:
        who = {
            "ours": "ours",
            "node": "node-oidc-provider",
            "floor": "FLOOR (bare Litestar login, not a provider)"
            if self.store == "memory"
            else "FLOOR AS DESIGNED (+ SQLite, our pages, re-check; not a provider)",
        }[self.provider]
        store = {"sqlite": "SQLite", "postgres": "PostgreSQL", "memory": "memory"}[self.store]
        unit = "process" if self.provider == "node" else "worker"
        plural = "" if self.workers == 1 else "es" if unit == "process" else "s"
        return f"{who} · {store} · {self.workers} {unit}{plural}"

    @property
    def short(self) -> str:
        return f"{self.provider}-{self.store}-{self.workers}"


OURS_SETUPS = [
    Setup("ours", "sqlite", 1),
    Setup("ours", "sqlite", 2),
    Setup("ours", "postgres", 1),
    Setup("ours", "postgres", 2),
]
NODE_SETUPS = [
    Setup("node", "sqlite", 1),
    Setup("node", "memory", 1),
    Setup("node", "postgres", 1),
    Setup("node", "postgres", 2),
]

FLOOR = Setup("floor", "memory", 1)
FLOOR_DESIGNED = Setup("floor", "sqlite", 1)
"""The floor with the parts the design prescribes: SQLite, the provider's pages, the
register asked again at the choice (`bench.floor_login_app`)."""
ON_REQUEST_SETUPS = [FLOOR, FLOOR_DESIGNED]
"""Setups `--only` can name that a default run leaves out."""

COUNTERPARTS = (
    (Setup("ours", "sqlite", 1), Setup("node", "sqlite", 1)),
    (Setup("ours", "sqlite", 1), Setup("node", "memory", 1)),
    (Setup("ours", "postgres", 1), Setup("node", "postgres", 1)),
    (Setup("ours", "postgres", 2), Setup("node", "postgres", 2)),
    (FLOOR, Setup("node", "sqlite", 1)),
    (FLOOR, Setup("node", "memory", 1)),
    (FLOOR_DESIGNED, Setup("node", "sqlite", 1)),
)
"""Which of theirs each of ours is compared with in the ratio and paired tables: the
same store with the same number of processes. Ours on SQLite is also compared with
theirs keeping everything in memory, a store that does no persistent work at all.
(Theirs runs SQLite in one process only, so ours on SQLite with 2 workers has none.)
The floor, when asked for, is paired with theirs as ours on SQLite is, in exactly the
same way, so its ratio is the least ours could reach."""


@dataclass(frozen=True)
class Sizes:
    name: str
    login_sequential: int
    login_concurrent: int
    concurrency: int
    token_codes: int
    refresh_chain: int
    introspect_tokens: int
    introspections: int
    picker_sequential: int
    warm_up_logins: int
    """Unmeasured logins first: node's JIT and both sides' pools and caches reach their
    steady state (the peak day is hours of the same flow). The paired pass showed node's
    CPU per login still falling after a few hundred (9.0 -> 5.7 ms over 2000 more), so
    the full run warms up with 1000."""
    scenario_seconds: float
    """No new work is started in a measured loop after this many seconds."""
    prepare_seconds: float
    """Preparing codes stops after this (codes live 60 s at both providers)."""
    time_limit: float
    """Whole run: no loop runs past it, and setups that would start after it (or too
    close to it to finish) are skipped."""
    picker_setups: tuple[Setup, ...] | None
    """Setups that also run the picker-latency pass (mock Altinn at 10 ms); None = all."""
    paced_rate: float
    """Logins started per second in the paced picker pass (16 browsers, a steady arrival
    rate): about a third of what one of our workers completes when saturated."""
    paired_rounds: int
    """Rounds of the paired pass (0: none). Each pair of `COUNTERPARTS` runs side by side
    and the two take turns at `paired_logins` logins at 16 concurrent, so a drift in the
    machine's speed falls on both rather than on one of them."""
    paired_logins: int


QUICK = Sizes(
    name="quick",
    login_sequential=10,
    login_concurrent=32,
    concurrency=16,
    token_codes=400,
    refresh_chain=2,
    introspect_tokens=16,
    introspections=128,
    picker_sequential=12,
    warm_up_logins=20,
    scenario_seconds=6,
    prepare_seconds=10,
    time_limit=150,
    picker_setups=(Setup("ours", "sqlite", 1), Setup("node", "sqlite", 1)),
    paced_rate=PACED_RATE,
    paired_rounds=2,
    paired_logins=32,
)

FULL = Sizes(
    name="full",
    login_sequential=300,
    login_concurrent=2000,
    concurrency=16,
    token_codes=2000,
    refresh_chain=3,
    introspect_tokens=32,
    introspections=2000,
    picker_sequential=400,
    warm_up_logins=1000,
    scenario_seconds=60,
    prepare_seconds=40,
    time_limit=1800,
    picker_setups=None,
    paced_rate=PACED_RATE,
    paired_rounds=8,
    paired_logins=400,
)
