"""The soak's judgement: the RSS slope over the last minutes, file maxima and growth
per login, and the report that states them."""

from __future__ import annotations

import pytest

from bench.soak_report import (
    Sample,
    Soak,
    growth_per_login,
    is_flat,
    markdown,
    max_sizes,
    rss_slope,
    slope_mib_per_minute,
    window,
)


def samples(rss: list[float], every: float = 10.0) -> list[Sample]:
    return [
        Sample(i * every, mib, logins=30 * i, errors=0, files={"db": 1000 + 100 * i})
        for i, mib in enumerate(rss)
    ]


def test_the_slope_is_in_mib_per_minute() -> None:
    assert slope_mib_per_minute([(0, 100.0), (60, 101.0), (120, 102.0)]) == pytest.approx(1.0)
    assert slope_mib_per_minute([(0, 100.0)]) is None
    assert slope_mib_per_minute([(5, 100.0), (5, 101.0)]) is None


def test_growth_during_the_first_minutes_does_not_count_against_flatness() -> None:
    """37 samples over 6 minutes: 20 MiB of growth in the first 2, then level."""
    rss = [120 + min(i, 12) * 20 / 12 for i in range(37)]
    assert window(samples(rss))[0].seconds == 120
    assert rss_slope(samples(rss)) == pytest.approx(0.0)
    assert is_flat(samples(rss))


def test_steady_growth_in_the_last_minutes_is_not_flat() -> None:
    rss = [140 + i * 0.2 for i in range(37)]  # 0.2 MiB per 10 s = 1.2 MiB/min
    assert rss_slope(samples(rss)) == pytest.approx(1.2)
    assert not is_flat(samples(rss))


def test_a_short_soak_is_judged_on_its_second_half() -> None:
    chosen = window(samples([100, 101, 102, 103, 104], every=2))
    assert [s.seconds for s in chosen] == [4, 6, 8]


def test_maxima_and_growth_per_login() -> None:
    found = samples([100, 100, 100])
    found[1] = Sample(10, 100, 30, 0, {"db": 1000, "db-wal": 9000})
    assert max_sizes(found) == {"db": 1200, "db-wal": 9000}
    assert growth_per_login(found) == {"db": pytest.approx(200 / 60)}


def test_the_report_states_rate_figures_and_verdict() -> None:
    soak = Soak("sqlite", rate=15.0, capacity=30.0, seconds=360, samples=samples([150] * 37))
    text = markdown(soak)
    assert "half of 30.0/s" in text
    assert "first 150.0 MiB, last 150.0 MiB, max 150.0 MiB" in text
    assert "+0.00 MiB/min → flat" in text
    assert "errors: 0" in text
    assert text.count("\n| ") == 2 + 37  # header, rule, one row per sample
