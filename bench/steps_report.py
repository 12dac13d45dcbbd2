"""CPU per login step from the timed provider's totals: pure arithmetic and Markdown,
tested without a server."""

from __future__ import annotations

from dataclasses import dataclass

from bench.step_labels import OTHER, STEP_NAMES

Totals = dict[str, tuple[float, int]]
"""label -> (seconds of main-thread CPU, requests), as `bench.step_timer` answers."""


@dataclass(frozen=True)
class StepRun:
    """One database's sequential logins."""

    database: str
    logins: int
    steps: Totals
    process_seconds: float
    """utime+stime of the provider's process tree over the same logins."""
    wall_seconds: float

    @property
    def timed_seconds(self) -> float:
        return sum(seconds for seconds, _requests in self.steps.values())


@dataclass(frozen=True)
class Floor:
    """Sequential requests to the bare application on the same server settings."""

    label: str
    requests: int
    app_seconds: float
    """Main-thread CPU inside the application call, as the steps are timed."""
    process_seconds: float


def _ms(seconds: float, count: int) -> str:
    return f"{1000 * seconds / count:.3f}" if count else "-"


def step_table(runs: list[StepRun]) -> list[str]:
    header = ["step (sequential)"]
    for run in runs:
        header += [f"{run.database}: ms/login", "requests/login", "ms/request"]
    rows: list[list[str]] = []
    labels = [*STEP_NAMES, *([OTHER] if any(OTHER in r.steps for r in runs) else [])]
    for label in labels:
        cells = [label]
        for run in runs:
            seconds, requests = run.steps.get(label, (0.0, 0))
            per_login = f"{requests / run.logins:.2f}"
            cells += [_ms(seconds, run.logins), per_login, _ms(seconds, requests)]
        rows.append(cells)
    totals: list[tuple[str, list[str]]] = [
        (
            "sum of the steps (main thread, in the app)",
            [_ms(r.timed_seconds, r.logins) for r in runs],
        ),
        (
            "process CPU (utime+stime, process tree)",
            [_ms(r.process_seconds, r.logins) for r in runs],
        ),
        (
            "difference (other threads, uvicorn and loop work between calls)",
            [_ms(r.process_seconds - r.timed_seconds, r.logins) for r in runs],
        ),
    ]
    for label, values in totals:
        cells = [f"**{label}**"]
        for value in values:
            cells += [value, "", ""]
        rows.append(cells)
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def floor_table(floors: list[Floor], signature_ms: float) -> list[str]:
    header = ["bare Litestar, sequential", "ms/request in the app", "ms/request, process CPU"]
    rows = [
        [f.label, _ms(f.app_seconds, f.requests), _ms(f.process_seconds, f.requests)]
        for f in floors
    ]
    rows.append(["one RS256 signature (2048-bit key, `cryptography`)", f"{signature_ms:.3f}", ""])
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
