"""The paired column of `python -m bench clients --logins` and `servers`: each round's
CPU per login over the reference's in the same round."""

from __future__ import annotations

from bench.turns import Figures, Way, paired_ratios, table


def figures(name: str, rounds: list[float]) -> Figures:
    return Figures(Way(name, name, lambda port, settings: []), round_cpu_ms=rounds)


def test_ratios_are_taken_round_by_round() -> None:
    # the machine got twice as slow after the first round: both sides felt it
    mine = figures("mine", [4.0, 8.4, 8.2])
    theirs = figures("theirs", [4.0, 8.0, 8.0])
    assert paired_ratios(mine, theirs) == [1.0, 8.4 / 8.0, 8.2 / 8.0]


def test_the_table_shows_the_median_ratio_and_its_range() -> None:
    rows = table(
        [figures("mine", [4.4, 8.4, 8.2]), figures("theirs", [4.0, 8.0, 8.0])], 60, "theirs"
    )
    assert "paired vs theirs" in rows[0]
    assert "| 1.050 (1.025-1.100) |" in rows[2]
    assert "| 1.000 (1.000-1.000) |" in rows[3]
