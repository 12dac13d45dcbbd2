"""Wrong client secrets do not stall the server: each costs a scrypt run (tens of
milliseconds), which ran on the event loop, so a few connections sending wrong secrets,
well under the rate limit, held up every other request of the worker (a login plus
token went from 0.06 to 6 s). Measured against `ansattporten serve` in its own process,
with its default /token limit: the guesses come from one address, the logins from
another."""

from __future__ import annotations

import secrets
import statistics
import threading
import time
from collections import Counter
from pathlib import Path

from tests.integration.security.support import PID
from tests.support.addresses import client_from, driver_from
from tests.support.served import provider_settings_file, served
from tests.support.servers import free_port

GUESSERS = 8
BOUND_SECONDS = 1.5
"""A login plus token under the guessing may take at most this long (about 0.1 s
without it on an idle machine; 6 s before the scrypt left the event loop)."""


def login_and_token(base_url: str) -> float:
    driver = driver_from(base_url, "127.0.0.20", "127.0.0.21")
    try:
        started = time.perf_counter()
        tokens = driver.redeem(driver.login_for_code(PID))
        elapsed = time.perf_counter() - started
        assert tokens.status_code == 200, tokens.text
        return elapsed
    finally:
        driver.close()


def guess_until(base_url: str, stop: threading.Event, answers: Counter[int]) -> None:
    with client_from("127.0.0.77", base_url) as guesser:
        while not stop.is_set():
            wrong = secrets.token_urlsafe(24)  # a new guess each time: no cache helps
            response = guesser.post(
                "/token",
                data={"grant_type": "authorization_code", "code": "x", "redirect_uri": "x"},
                auth=("confidential-service", wrong),
            )
            answers[response.status_code] += 1


def test_wrong_secrets_do_not_slow_another_login(tmp_path: Path) -> None:
    port = free_port()
    # the guesses meet the default /token limit; the measured logins (from their own
    # address) may log in more often than a person would
    settings = provider_settings_file(
        tmp_path, port, login_attempts_per_minute=10_000, authorize_requests_per_minute=10_000
    )
    with served(settings, port) as base_url:
        login_and_token(base_url)  # warm: the service's own secret verified and cached
        quiet = [login_and_token(base_url) for _ in range(3)]

        stop, answers = threading.Event(), Counter[int]()
        guessers = [
            threading.Thread(target=guess_until, args=(base_url, stop, answers))
            for _ in range(GUESSERS)
        ]
        for guesser in guessers:
            guesser.start()
        try:
            deadline = time.monotonic() + 20
            while sum(answers.values()) < GUESSERS and time.monotonic() < deadline:
                time.sleep(0.05)  # every guesser is under way
            before = sum(answers.values())
            under_guessing: list[float] = []
            window = time.monotonic() + 3.0  # ten logins, over three seconds at least
            while len(under_guessing) < 10 or time.monotonic() < window:
                under_guessing.append(login_and_token(base_url))
            during = sum(answers.values()) - before
        finally:
            stop.set()
            for guesser in guessers:
                guesser.join(timeout=30)

    print(
        f"\nlogin+token: quiet median {statistics.median(quiet):.3f} s, "
        f"under {GUESSERS} guessing connections max {max(under_guessing):.3f} s "
        f"(median {statistics.median(under_guessing):.3f} s); guesses answered {dict(answers)}, "
        f"{during} of them while the logins ran"
    )
    assert during >= 5, answers  # the guessing really ran alongside the logins
    assert set(answers) <= {401, 503}, answers  # wrong, or "busy, try again": never 429/5xx
    assert max(under_guessing) < BOUND_SECONDS, (quiet, under_guessing)
