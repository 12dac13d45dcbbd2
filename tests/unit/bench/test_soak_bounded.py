"""`python -m bench soak --lifetimes`: the settings it writes, and the judgement of the
database file once the purge keeps up (a plateau passes, steady growth fails, a run too
short for the steady state is not judged)."""

from __future__ import annotations

import pytest

from ansattporten.settings import settings_from_mapping
from bench.soak_bound import verdict, written_per_login
from bench.soak_lifetimes import short_lifetimes, steady_after, toml_lines
from bench.soak_report import Sample, Soak, markdown

MIB = 1024 * 1024
RATE = 10.0


def test_every_setting_written_is_one_the_provider_knows_and_accepts() -> None:
    written = short_lifetimes(30)
    assert written["grant_lifetime"] == 30
    assert written["session_idle_timeout"] == 30
    assert written["audit_retention_days"] * 86400 == pytest.approx(30)
    assert written["purge_interval_seconds"] == 7.5
    settings = settings_from_mapping(dict(written), environ={})
    assert settings.refresh_token_lifetime == 30
    assert settings.backchannel_kept_seconds == 30
    assert all(" = " in line for line in toml_lines(written))


def sizes(seconds: float, lifetime: float, grow_after: float) -> int:
    """10 logins/s of 10 KB each; after the first lifetime the file grows by
    `grow_after` of that rate."""
    early = min(seconds, lifetime) * RATE * 10_240
    return int(early + max(seconds - lifetime, 0) * RATE * 10_240 * grow_after)


def soak(grow_after: float, seconds: float = 180, lifetime: int = 20) -> Soak:
    samples = [
        Sample(t, 150.0, int(t * RATE), 0, {"db": sizes(t, lifetime, grow_after), "db-wal": 0})
        for t in range(0, int(seconds) + 1, 5)
    ]
    return Soak("sqlite", RATE, None, seconds, samples, lifetime=lifetime, lifetimes={})


def test_what_a_login_writes_is_measured_in_the_first_lifetime() -> None:
    assert written_per_login(soak(0.0).samples, 20) == pytest.approx(10_240)


def test_a_plateau_is_bounded() -> None:
    assert verdict(soak(0.0)).endswith("→ bounded")


def test_a_file_still_growing_at_half_its_first_rate_is_not_bounded() -> None:
    assert verdict(soak(0.6)).endswith("→ NOT bounded")


def test_a_run_that_ends_before_the_steady_state_is_not_judged() -> None:
    assert steady_after(30) == 67.5
    assert steady_after(30, "postgres") == 127.5
    text = verdict(soak(0.0, seconds=90, lifetime=30))
    assert "not judged" in text
    assert "run at least 101 s" in text


def test_the_report_names_the_lifetimes_and_the_bound() -> None:
    run = soak(0.0)
    run.lifetimes = short_lifetimes(20)
    text = markdown(run)
    assert "(`--lifetimes 20`): par_lifetime 20," in text
    assert "audit_retention_days 0.000231481 (20 s)" in text
    assert "purge_interval_seconds 5" in text
    assert "stops growing once the purge deletes as much" in text
    assert "bounded file: db over the last third" in text
