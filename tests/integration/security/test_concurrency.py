"""Races decided by the database, on SQLite and PostgreSQL: one code redeemed by 20
requests at once gives exactly one set of tokens (each racer gets that same answer),
and so does one refresh token."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.security.conftest import driver_factory
from tests.integration.security.support import SecurityDriver, token_is_alive
from tests.support.provider import RunningProvider, run_provider

RACERS = 20


@pytest.fixture
def racing_provider(any_database_url, make_settings) -> Iterator[RunningProvider]:
    with run_provider(any_database_url, make_settings()) as running:
        yield running


@pytest.fixture
def racer(racing_provider, client_keys) -> Iterator[SecurityDriver]:
    make, made = driver_factory(racing_provider, client_keys)
    driver = make("refresh-service")
    yield driver
    for each in made:
        each.close()


async def race(driver: SecurityDriver, data: dict[str, str]) -> list[httpx.Response]:
    """POST the same /token request RACERS times at once."""
    _, auth = driver.client_auth()
    async with httpx.AsyncClient(
        base_url=driver.base_url,
        timeout=60,
        limits=httpx.Limits(max_connections=RACERS),
    ) as client:
        return await asyncio.gather(
            *(client.post("/token", data=data, auth=auth) for _ in range(RACERS))
        )


def assert_one_set_of_tokens(responses: list[httpx.Response]) -> dict[str, Any]:
    """Every racer is the same client sending the same request: one redemption (or
    trade) wins, and the others, retries of it as far as the provider can tell, get the
    very same answer - never a second set of tokens."""
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {200: RACERS}, [(r.status_code, r.text[:200]) for r in responses]
    bodies = [response.json() for response in responses]
    assert all(body == bodies[0] for body in bodies)
    body: dict[str, Any] = bodies[0]
    return body


async def test_one_code_redeemed_at_once_by_many_gives_one_token_response(racer):
    code = racer.login_for_code("45840375084")
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": racer.redirect_uri,
        "code_verifier": racer.verifier,
    }

    tokens = assert_one_set_of_tokens(await race(racer, data))

    assert token_is_alive(racer, tokens["access_token"])
    assert racer.refresh(tokens["refresh_token"]).status_code == 200


async def test_one_refresh_token_used_at_once_by_many_gives_one_token_response(racer):
    refresh_token = racer.tokens()["refresh_token"]
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}

    tokens = assert_one_set_of_tokens(await race(racer, data))

    assert tokens["refresh_token"] != refresh_token
    assert token_is_alive(racer, tokens["access_token"])
    assert racer.refresh(tokens["refresh_token"]).status_code == 200
