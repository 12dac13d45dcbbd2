"""Parsing of `ansattporten:altinn:service` objects (Altinn 2 link services)."""

from __future__ import annotations

from typing import Any

import pytest

from authz_sources import InvalidDetail
from authz_sources.altinn.service_detail import ServiceDetail, parse_service_detail

TYPE = "ansattporten:altinn:service"


def test_documented_examples_are_accepted() -> None:
    parsed = parse_service_detail({"type": TYPE, "resource": "urn:altinn:resource:2480:40"})
    assert isinstance(parsed, ServiceDetail)
    assert (parsed.service_code, parsed.service_edition) == ("2480", 40)
    assert parsed.resource_id == "se_2480_40"
    multiple = parse_service_detail(
        {
            "type": TYPE,
            "resource": "urn:altinn:resource:5900:1",
            "allow_multiple_organizations": "true",
        }
    )
    assert multiple.allow_multiple_organizations


def test_shared_fields_are_parsed() -> None:
    parsed = parse_service_detail(
        {
            "type": TYPE,
            "resource": "urn:altinn:resource:2480:40",
            "organizationform": "business",
            "allow_deleted_organizations": True,
            "representation_is_required": "false",
        }
    )
    assert parsed.organizationform == "business"
    assert parsed.allow_deleted_organizations
    assert not parsed.representation_is_required


@pytest.mark.parametrize(
    ("raw", "mentions"),
    [
        ({"type": TYPE}, "`resource` is required"),
        ({"type": TYPE, "resource": 2480}, "must be a string, not a JSON number"),
        ({"type": TYPE, "resource": "urn:altinn:resource:2480"}, "<servicecode>:<edition>"),
        ({"type": TYPE, "resource": "urn:altinn:resource:abc:40"}, "<servicecode>:<edition>"),
        ({"type": TYPE, "resource": "urn:altinn:resource:2480:4a"}, "<servicecode>:<edition>"),
        ({"type": TYPE, "resource": "urn:altinn:resource:app_x"}, "<servicecode>:<edition>"),
        ({"type": TYPE, "resource": "2480:40"}, "<servicecode>:<edition>"),
        (
            {"type": TYPE, "resource": "urn:altinn:resource:2480:40", "actions": "read"},
            "unknown field `actions`",
        ),
        (
            {"type": TYPE, "resource": "urn:altinn:resource:2480:40", "role": "DAGL"},
            "unknown field `role`",
        ),
        (
            {"type": TYPE, "resource": "urn:altinn:resource:2480:40", "organizationform": "x"},
            "`organizationform`",
        ),
        (
            {
                "type": TYPE,
                "resource": "urn:altinn:resource:2480:40",
                "allow_deleted_organizations": 0,
            },
            "`allow_deleted_organizations` must be a boolean",
        ),
    ],
)
def test_invalid_objects_are_rejected_precisely(raw: dict[str, Any], mentions: str) -> None:
    with pytest.raises(InvalidDetail) as caught:
        parse_service_detail(raw)
    assert mentions in str(caught.value)
