"""The employer-rules service running for real, on SQLite and PostgreSQL, with the
organisations and rules of tests/fixtures/employer_rules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.employer_rules import FIXTURES, RunningRules, run_employer_rules


@pytest.fixture
def rules_service(any_database_url: str) -> Iterator[RunningRules]:
    overrides = {"initial_rules_file": str(FIXTURES / "rules.json")}
    with run_employer_rules(any_database_url, overrides=overrides) as running:
        yield running
