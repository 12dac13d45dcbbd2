"""Discovery announces the representation types this provider answers (RFC 9396 10)."""

from __future__ import annotations

import httpx

from tests.support import altinn_oracle as oracle


def test_discovery_lists_the_altinn_types(rar_provider):
    response = httpx.get(f"{rar_provider.base_url}/.well-known/openid-configuration")

    assert response.status_code == 200
    metadata = response.json()
    supported = metadata["authorization_details_types_supported"]
    assert oracle.RESOURCE_TYPE in supported
    assert oracle.SERVICE_TYPE in supported
    assert len(supported) == len(set(supported))
    assert "authorization_details" in metadata["claims_supported"]


def test_without_sources_no_altinn_type_is_announced(provider):
    metadata = httpx.get(f"{provider.base_url}/.well-known/openid-configuration").json()

    supported = metadata.get("authorization_details_types_supported", [])
    assert oracle.RESOURCE_TYPE not in supported
    assert oracle.SERVICE_TYPE not in supported
