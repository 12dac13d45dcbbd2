"""Schemathesis against the running service, from docs/employer-rules.openapi.yaml:
generated and deliberately invalid requests to `/parties` and `/health`, with and
without the real token, never get a 5xx, and answers match the description."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.employer_rules import API_TOKEN, FIXTURES, RunningRules, run_employer_rules

OPENAPI = Path(__file__).resolve().parents[3] / "docs" / "employer-rules.openapi.yaml"
OPERATIONS = {
    f"{op.method.upper()} {op.path}": op
    for op in (r.ok() for r in schemathesis.openapi.from_path(OPENAPI).get_all_operations())
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningRules]:
    database = tmp_path_factory.mktemp("fuzz") / "rules.db"
    overrides = {"initial_rules_file": str(FIXTURES / "rules.json")}
    with run_employer_rules(f"sqlite:///{database}", overrides=overrides) as running:
        yield running


def test_the_description_covers_the_api() -> None:
    assert set(OPERATIONS) == {"POST /parties", "GET /health"}


@pytest.mark.parametrize("authenticated", [False, True], ids=["made_up", "real_token"])
@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_no_server_error(service: RunningRules, name: str, authenticated: bool) -> None:
    operation = OPERATIONS[name]
    headers = {"Authorization": f"Bearer {API_TOKEN}"} if authenticated else None
    strategy = operation.as_strategy(
        generation_mode=schemathesis.GenerationMode.POSITIVE, headers=headers
    ) | operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE, headers=headers)

    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=strategy)
    def property_(case: Any) -> None:
        response = case.call(base_url=service.base_url, timeout=30)
        case.validate_response(
            response,
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )
        if authenticated and response.status_code == 200 and name == "POST /parties":
            assert "parties" in response.json()

    property_()
