"""`verify_secret_off_loop`: scrypt on the verifier thread while the event loop serves on,
a bounded queue, and wrong secrets remembered."""

from __future__ import annotations

import asyncio
import time

import pytest

from ansattporten import secret_hashing
from ansattporten.secret_hashing import VerifierBusy, hash_secret, verify_secret_off_loop

STORED = hash_secret("the-right-secret-0123456789")


def test_right_and_wrong_secrets() -> None:
    async def check() -> tuple[bool, bool]:
        return (
            await verify_secret_off_loop("the-right-secret-0123456789", STORED),
            await verify_secret_off_loop("the-right-secret-012345678X", STORED),
        )

    assert asyncio.run(check()) == (True, False)


def test_the_loop_serves_while_scrypt_runs() -> None:
    """Ticks of 1 ms keep coming while eight wrong secrets are checked: no gap comes
    near the eight scrypt runs the loop would wait for if they ran on it."""
    started = time.perf_counter()
    secret_hashing.verify_secret("not-remembered-since-new", STORED)
    one_scrypt = time.perf_counter() - started

    async def measure() -> float:
        guesses = [verify_secret_off_loop(f"wrong-{n}", STORED) for n in range(8)]
        checking = asyncio.gather(*guesses)
        longest, last = 0.0, time.perf_counter()
        while not checking.done():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            longest, last = max(longest, now - last), now
        assert await checking == [False] * 8
        return longest

    assert asyncio.run(measure()) < 2 * one_scrypt


def test_a_repeated_wrong_secret_costs_no_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    async def twice() -> None:
        assert not await verify_secret_off_loop("wrong-repeated", STORED)
        monkeypatch.setattr(secret_hashing, "_scrypt_matches", pytest.fail)
        assert not await verify_secret_off_loop("wrong-repeated", STORED)

    asyncio.run(twice())


def test_too_many_waiting_are_refused_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secret_hashing, "MAX_WAITING", 2)

    async def flood() -> list[object]:
        guesses = [verify_secret_off_loop(f"flood-{n}", STORED) for n in range(4)]
        return await asyncio.gather(*guesses, return_exceptions=True)

    results = asyncio.run(flood())
    assert results[:2] == [False, False]
    assert [type(each) for each in results[2:]] == [VerifierBusy, VerifierBusy]
