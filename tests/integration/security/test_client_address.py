"""Rate limits count per client address, and the address is one the client cannot
choose: behind the documented nginx (Debian's, configured from docs/deploy/nginx.conf)
the provider believes nginx's X-Forwarded-For because `trusted_proxies` names nginx,
and nginx overwrites whatever the client sent; without a trusted proxy the connection's
own peer is the client. Every provider here is `ansattporten serve`, as deployed.

Six people at six addresses: Linux routes all of 127.0.0.0/8 to loopback, so each test
client binds its own source address (127.0.0.2, 127.0.0.3, ...)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.security.support import PID
from tests.integration.security.test_rate_limits import (
    assert_rate_limited_json,
    fresh_window,
    post_login,
)
from tests.support.addresses import client_from, driver_from
from tests.support.login_driver import LoginDriver
from tests.support.nginx import run_nginx
from tests.support.served import provider_settings_file, served
from tests.support.servers import free_port

LIMITS = {"login_attempts_per_minute": 3, "token_requests_per_minute": 5}
WRONG_PID = "45840375085"  # bad check digits: the login form again, with why
SERVICE_AT = "127.0.0.50"


def at(n: int) -> str:
    return f"127.0.0.{n}"


@pytest.fixture(scope="module")
def behind_nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Two instances on one database behind nginx, trusting nginx (127.0.0.1)."""
    folder = tmp_path_factory.mktemp("behind-nginx")
    port = free_port()
    settings = provider_settings_file(folder, port, trusted_proxies=["127.0.0.1"], **LIMITS)
    with served(settings) as one, served(settings) as two:
        upstreams = [int(url.rsplit(":", 1)[1]) for url in (one, two)]
        with run_nginx(folder / "nginx", upstreams, port=port) as nginx:
            yield nginx.base_url


def login_posts(driver: LoginDriver, count: int, **headers: str) -> list[int]:
    login_url = driver.start(via_par=False)
    statuses = []
    for _ in range(count):
        driver.browser.headers.update(headers)
        statuses.append(post_login(driver, login_url, WRONG_PID).status_code)  # type: ignore[arg-type]
    return statuses


def posts_each_claiming_a_new_address(driver: LoginDriver, count: int) -> list[int]:
    """Login posts, each with a made-up X-Forwarded-For and X-Real-IP of its own."""
    login_url = driver.start(via_par=False)
    statuses = []
    for n in range(count):
        driver.browser.headers["x-forwarded-for"] = f"198.51.100.{n}"
        driver.browser.headers["x-real-ip"] = f"198.51.100.{n}"
        statuses.append(post_login(driver, login_url, WRONG_PID).status_code)  # type: ignore[arg-type]
    return statuses


def test_six_addresses_each_get_their_own_budget(behind_nginx: str) -> None:
    fresh_window(margin=15)
    drivers = {at(n): driver_from(behind_nginx, at(n), SERVICE_AT) for n in range(2, 8)}
    try:
        statuses = {address: login_posts(driver, 4) for address, driver in drivers.items()}
    finally:
        for driver in drivers.values():
            driver.close()

    assert statuses == {at(n): [400, 400, 400, 429] for n in range(2, 8)}


def test_a_spoofed_forwarded_header_changes_nothing(behind_nginx: str) -> None:
    fresh_window(margin=15)
    liar = driver_from(behind_nginx, at(8), SERVICE_AT)
    victim_spender = driver_from(behind_nginx, at(9), SERVICE_AT)
    victim = driver_from(behind_nginx, at(10), SERVICE_AT)
    try:
        # a new made-up address on every post does not give a new budget
        assert posts_each_claiming_a_new_address(liar, 5) == [400, 400, 400, 429, 429]

        # naming someone else's address does not spend their budget
        spent = login_posts(victim_spender, 4, **{"x-forwarded-for": at(10), "x-real-ip": at(10)})
        assert spent == [400, 400, 400, 429]
        assert login_posts(victim, 4) == [400, 400, 400, 429]
    finally:
        for driver in (liar, victim_spender, victim):
            driver.close()


def test_a_flood_from_one_address_does_not_block_anothers_login(behind_nginx: str) -> None:
    fresh_window(margin=15)
    flooder = driver_from(behind_nginx, at(11), SERVICE_AT)
    person = driver_from(behind_nginx, at(12), at(13))
    try:
        flood = login_posts(flooder, 20)
        assert flood.count(429) == 17

        tokens = person.redeem(person.login_for_code(PID))
        assert tokens.status_code == 200, tokens.text
        assert "access_token" in tokens.json()
    finally:
        flooder.close()
        person.close()


def test_requests_naming_a_client_do_not_block_its_par_elsewhere(behind_nginx: str) -> None:
    """The back-channel budget is per client *and* address: a flood naming a service
    (with a wrong secret, or as a public client that needs none) spends only the
    flooder's own budget."""
    fresh_window(margin=15)
    attacker = client_from(at(14), behind_nginx)
    service = driver_from(behind_nginx, at(15), at(16))
    public = driver_from(behind_nginx, at(15), at(16), client_id="public-spa")
    try:
        wrong = [
            attacker.post("/par", data=service.params(), auth=("confidential-service", "wrong"))
            for _ in range(6)
        ]
        assert [each.status_code for each in wrong] == [401] * 5 + [429]
        public_flood = [
            attacker.post("/par", data=public.params(client_id="public-spa")) for _ in range(6)
        ]
        assert [each.status_code for each in public_flood] == [201] * 5 + [429]
        assert_rate_limited_json(public_flood[-1])

        assert service.push(service.params()).status_code == 201
        assert public.push(public.params()).status_code == 201
    finally:
        attacker.close()
        service.close()
        public.close()


def test_served_directly_the_peer_address_counts(tmp_path: Path) -> None:
    """No proxy: `ansattporten serve` believes no forwarded header, from 127.0.0.1
    either (where a local proxy would connect from), and each peer has its own budget."""
    port = free_port()
    settings = provider_settings_file(tmp_path, port, **LIMITS)
    with served(settings, port) as base_url:
        fresh_window(margin=15)
        local = driver_from(base_url, "127.0.0.1", SERVICE_AT)
        other = driver_from(base_url, at(2), SERVICE_AT)
        try:
            assert posts_each_claiming_a_new_address(local, 5) == [400, 400, 400, 429, 429]
            assert login_posts(other, 4) == [400, 400, 400, 429]
        finally:
            local.close()
            other.close()
