"""The HPR source passes the conformance kit, against the mock over real HTTP, served the
way the kit offers plugin authors (`authz_sources.testing.serving`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from authz_sources import Subject
from authz_sources.hpr.mock import DEMO_FIXTURE, create_mock_app
from authz_sources.registry import create_sources
from authz_sources.testing import check_source, serving

PEOPLE = json.loads(
    (Path(__file__).parents[2] / "fixtures" / "hpr_people.json").read_text(encoding="utf-8")
)
TYPE = "ansattporten:hpr"


@pytest.fixture(scope="module")
def hpr_url() -> Iterator[str]:
    with serving(create_mock_app(DEMO_FIXTURE)) as base_url:
        yield base_url


@pytest.mark.parametrize("role", ["doctor", "two_approvals", "expired", "absent"])
async def test_conformance(hpr_url: str, role: str) -> None:
    [source] = create_sources({"hpr": {"base_url": hpr_url}})
    report = await check_source(
        source,
        subject=Subject(pid=PEOPLE[role]["pid"], client_id="conformance"),
        valid_details=[
            {"type": TYPE},
            {"type": TYPE, "professions": ["LE", "SP"], "approval_is_required": True},
        ],
        invalid_details=[
            {"type": TYPE, "professions": ["ZZ"]},
            {"type": TYPE, "professions": []},
            {"type": TYPE, "approval_is_required": "maybe"},
        ],
        expect_parties=False,
    )
    report.assert_ok()
