"""Which addresses a client's jwks_uri may be fetched from (`client_keys.is_allowed`):
global ones only, judging IPv6 forms that carry an IPv4 address by that address."""

from __future__ import annotations

import ipaddress

import pytest

from ansattporten.flows.client_keys import is_allowed

REFUSED = [
    "127.0.0.1",
    "127.8.9.10",
    "169.254.169.254",  # cloud metadata
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "fe80::1",
    "fc00::1",
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
]
ALLOWED = ["8.8.8.8", "151.101.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", REFUSED)
def test_internal_addresses_are_refused(address: str) -> None:
    assert not is_allowed(ipaddress.ip_address(address), [])


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_allowed(ipaddress.ip_address(address), [])


def test_an_allowed_network_opens_only_itself() -> None:
    allowed = [ipaddress.ip_network("127.0.0.2/32")]
    assert is_allowed(ipaddress.ip_address("127.0.0.2"), allowed)
    assert not is_allowed(ipaddress.ip_address("127.0.0.1"), allowed)
    assert not is_allowed(ipaddress.ip_address("169.254.169.254"), allowed)
