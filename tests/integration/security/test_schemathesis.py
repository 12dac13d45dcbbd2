"""Schemathesis against a running provider, from docs/openapi.yaml: every operation of
the JSON endpoints, with generated (and deliberately invalid) data, never answers 5xx.

Each operation runs twice: with whatever credentials Schemathesis makes up, and with a
real client's credentials (or a real access token at /userinfo), so that generated
values also reach the code behind client authentication."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.integration.security.support import SecurityDriver

OPENAPI = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"
EXAMPLES = 15


def operations() -> list[Any]:
    schema = schemathesis.openapi.from_path(OPENAPI)
    return [result.ok() for result in schema.get_all_operations()]


OPERATIONS = {f"{op.method.upper()} {op.path}": op for op in operations()}


def test_the_description_covers_the_json_endpoints():
    assert set(OPERATIONS) == {
        "GET /.well-known/openid-configuration",
        "GET /.well-known/oauth-authorization-server",
        "GET /jwks.json",
        "POST /par",
        "POST /token",
        "POST /token/introspect",
        "POST /token/revoke",
        "GET /userinfo",
        "POST /userinfo",
        "GET /health",
        "GET /health/ready",
    }


def credentials(name: str, driver: SecurityDriver) -> dict[str, str]:
    if name.endswith("/userinfo"):
        return {"Authorization": f"Bearer {driver.tokens()['access_token']}"}
    raw = f"{driver.client_id}:{driver.secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


AUTHENTICATED = ("/par", "/token", "/token/introspect", "/token/revoke", "/userinfo")
CASES = [(name, False) for name in OPERATIONS] + [
    (name, True) for name in OPERATIONS if name.split(" ")[1] in AUTHENTICATED
]


@pytest.mark.parametrize(
    ("name", "authenticated"),
    CASES,
    ids=[f"{name}-{'real_client' if auth else 'made_up'}" for name, auth in CASES],
)
def test_no_server_error(sec_provider, make_driver, name, authenticated):
    operation = OPERATIONS[name]
    headers = credentials(name, make_driver("refresh-service")) if authenticated else None
    strategy = operation.as_strategy(
        generation_mode=schemathesis.GenerationMode.POSITIVE, headers=headers
    ) | operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE, headers=headers)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def property_(case: Any) -> None:
        response = case.call(base_url=sec_provider.base_url, timeout=30)
        case.validate_response(response, checks=[not_a_server_error])

    property_()
