"""CPU per login step: the table divides by logins and by requests, adds the steps up
and sets them against the process's CPU."""

from __future__ import annotations

from bench.step_labels import OTHER
from bench.steps_report import Floor, StepRun, floor_table, step_table


def cells(lines: list[str], label: str) -> list[str]:
    (line,) = [line for line in lines if line.startswith(f"| {label} |")]
    return [cell.strip() for cell in line.strip("|").split("|")][1:]


def test_steps_per_login_and_per_request_against_the_process() -> None:
    run = StepRun(
        "SQLite",
        logins=10,
        steps={"PAR": (0.005, 10), "picker GET": (0.030, 20), OTHER: (0.001, 3)},
        process_seconds=0.050,
        wall_seconds=1.0,
    )
    lines = step_table([run])
    assert lines[0] == "| step (sequential) | SQLite: ms/login | requests/login | ms/request |"
    assert cells(lines, "PAR") == ["0.500", "1.00", "0.500"]
    assert cells(lines, "picker GET") == ["3.000", "2.00", "1.500"]
    assert cells(lines, "token") == ["0.000", "0.00", "-"]  # a step not seen
    assert cells(lines, OTHER) == ["0.100", "0.30", "0.333"]
    assert cells(lines, "**sum of the steps (main thread, in the app)**")[0] == "3.600"
    assert cells(lines, "**process CPU (utime+stime, process tree)**")[0] == "5.000"
    difference = "**difference (other threads, uvicorn and loop work between calls)**"
    assert cells(lines, difference)[0] == "1.400"


def test_no_other_row_when_every_request_was_a_step() -> None:
    run = StepRun("SQLite", 1, {"PAR": (0.001, 1)}, 0.001, 1.0)
    assert not any(line.startswith(f"| {OTHER} |") for line in step_table([run]))


def test_the_floor_per_request_and_the_signature() -> None:
    lines = floor_table([Floor("303 redirect", 1000, 0.06, 0.08)], signature_ms=0.25)
    assert cells(lines, "303 redirect") == ["0.060", "0.080"]
    assert "| one RS256 signature (2048-bit key, `cryptography`) | 0.250 |  |" in lines
