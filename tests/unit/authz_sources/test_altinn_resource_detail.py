"""Parsing of `ansattporten:altinn:resource` objects: what is accepted, and every way
an object is rejected (with a message that names the field)."""

from __future__ import annotations

from typing import Any

import pytest

from authz_sources import InvalidDetail
from authz_sources.altinn.resource_detail import ResourceDetail, parse_resource_detail

TYPE = "ansattporten:altinn:resource"
URN = "urn:altinn:resource:resource_enkeltrettighet"


def detail(**fields: Any) -> dict[str, Any]:
    return {"type": TYPE, "resource": URN, **fields}


def test_minimal_object_is_accepted_with_defaults() -> None:
    parsed = parse_resource_detail(detail())
    assert isinstance(parsed, ResourceDetail)
    assert parsed.resource == URN
    assert parsed.resource_id == "resource_enkeltrettighet"
    assert parsed.actions == ()
    assert parsed.organizationform is None
    assert not parsed.allow_multiple_organizations
    assert not parsed.allow_deleted_organizations
    assert not parsed.representation_is_required
    assert parsed.raw == detail()


def test_documented_example_is_accepted() -> None:
    raw = detail(
        actions="write,report",
        allow_multiple_organizations=True,
        representation_is_required=True,
    )
    parsed = parse_resource_detail(raw)
    assert parsed.actions == ("write", "report")
    assert parsed.allow_multiple_organizations
    assert parsed.representation_is_required


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False)])
@pytest.mark.parametrize(
    "flag",
    ["allow_multiple_organizations", "allow_deleted_organizations", "representation_is_required"],
)
def test_flags_accept_strings(flag: str, value: str, expected: bool) -> None:
    assert getattr(parse_resource_detail(detail(**{flag: value})), flag) is expected


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        ("read", ("read",)),
        ("write, report", ("write", "report")),
        ("write,report,write", ("write", "report")),
        (["read", "write"], ("read", "write")),
    ],
)
def test_actions_as_string_or_array(actions: Any, expected: tuple[str, ...]) -> None:
    assert parse_resource_detail(detail(actions=actions)).actions == expected


@pytest.mark.parametrize("form", ["enterprise", "business"])
def test_organizationform_values(form: str) -> None:
    assert parse_resource_detail(detail(organizationform=form)).organizationform == form


@pytest.mark.parametrize(
    ("raw", "mentions"),
    [
        ({"type": TYPE}, "`resource` is required"),
        (detail(resource=42), "`resource` must be a string, not a JSON number"),
        (detail(resource=None), "`resource` must be a string, not a JSON null"),
        (detail(resource="resource_enkeltrettighet"), "urn:altinn:resource:<id>"),
        (detail(resource="urn:altinn:resource:"), "urn:altinn:resource:<id>"),
        (detail(resource="urn:altinn:resource:has space"), "urn:altinn:resource:<id>"),
        (detail(resource="urn:altinn:resource:2480:40"), "ansattporten:altinn:service"),
        (detail(resource="urn:altinn:resource:" + "x" * 101), "urn:altinn:resource:<id>"),
        (detail(actions=""), "`actions` must list non-empty action names"),
        (detail(actions="read,,write"), "`actions` must list non-empty action names"),
        (detail(actions=" , "), "`actions` must list non-empty action names"),
        (detail(actions=[]), "`actions` must list non-empty action names"),
        (detail(actions=[""]), "`actions` must list non-empty action names"),
        (detail(actions=["read", 1]), "`actions` must be a string or an array of strings"),
        (detail(actions=7), "`actions` must be a comma-separated string, not a JSON number"),
        (detail(actions={"a": 1}), "not a JSON object"),
        (detail(actions="read write"), "invalid action name"),
        (detail(actions=",".join(f"a{i}" for i in range(21))), "at most 20"),
        (detail(organizationform="both"), '`organizationform` must be "enterprise" or'),
        (detail(organizationform="Enterprise"), '`organizationform` must be "enterprise" or'),
        (detail(organizationform=1), "`organizationform` must be a string, not a JSON number"),
        (detail(allow_multiple_organizations=1), "must be a boolean, not a JSON number"),
        (detail(allow_multiple_organizations="yes"), "`allow_multiple_organizations` must be"),
        (detail(allow_deleted_organizations="True"), "`allow_deleted_organizations` must be"),
        (detail(representation_is_required=None), "`representation_is_required` must be a"),
        (detail(representation_is_required=[True]), "not a JSON array"),
        (detail(locations=["x"]), "unknown field `locations`"),
        (detail(ressurs="x"), "unknown field `ressurs`"),
        ({"type": "ansattporten:altinn:service", "resource": URN}, "`type` must be"),
    ],
)
def test_invalid_objects_are_rejected_precisely(raw: dict[str, Any], mentions: str) -> None:
    with pytest.raises(InvalidDetail) as caught:
        parse_resource_detail(raw)
    assert mentions in str(caught.value)


def test_long_input_is_not_echoed_in_full() -> None:
    with pytest.raises(InvalidDetail) as caught:
        parse_resource_detail(detail(resource="x" * 5000))
    assert len(str(caught.value)) < 300
