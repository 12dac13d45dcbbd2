"""Clients that connect from a chosen loopback address (127.0.0.2, 127.0.0.3, ...), so a
test can be several people at several addresses on one machine: Linux routes all of
127.0.0.0/8 to the loopback interface, and a socket may bind any of them as its source."""

from __future__ import annotations

import httpx

from tests.support.login_driver import TLS, LoginDriver


def client_from(address: str, base_url: str) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        follow_redirects=False,
        timeout=30,
        verify=TLS,
        transport=httpx.HTTPTransport(local_address=address, verify=TLS),
    )


def driver_from(
    base_url: str, browser_at: str, service_at: str, client_id: str = "confidential-service"
) -> LoginDriver:
    """A login whose browser and service each connect from their own address."""
    driver = LoginDriver(base_url, client_id=client_id)
    driver.close()
    driver.browser = client_from(browser_at, base_url)
    driver.service = client_from(service_at, base_url)
    return driver
