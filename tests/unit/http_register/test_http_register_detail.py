"""Parsing requested objects for a register's own types."""

from __future__ import annotations

from typing import Any

import pytest

from authz_sources import InvalidDetail, RequestedDetail
from authz_sources.http_register import HttpRegisterSettings, parse_register_detail
from authz_sources.http_register.detail import agency_fields

SETTINGS = HttpRegisterSettings(
    types=("myagency:role", "myagency:case"),
    base_url="http://register.test",
    fields={
        "role": "string",
        "levels": "array",
        "scope": "object",
        "count": "integer",
        "ratio": "number",
        "urgent": "boolean",
        "deep": "any",
        "big": "string",
        "n": "any",
        "o": "object",
        "kk": "any",
    },
)


def parse(raw: dict[str, Any], settings: HttpRegisterSettings = SETTINGS) -> RequestedDetail:
    return parse_register_detail(raw, settings)


def test_minimal_object() -> None:
    assert parse({"type": "myagency:case"}) == RequestedDetail(
        type="myagency:case", raw={"type": "myagency:case"}
    )


def test_shared_fields_are_parsed_like_altinns() -> None:
    detail = parse(
        {
            "type": "myagency:role",
            "organizationform": "business",
            "allow_multiple_organizations": "true",
            "allow_deleted_organizations": False,
            "representation_is_required": True,
        }
    )
    assert detail.organizationform == "business"
    assert detail.allow_multiple_organizations is True
    assert detail.allow_deleted_organizations is False
    assert detail.representation_is_required is True


def test_null_organizationform_means_both() -> None:
    assert parse({"type": "myagency:role", "organizationform": None}).organizationform is None


def test_agency_fields_pass_through_as_sent() -> None:
    raw = {
        "type": "myagency:role",
        "role": "inspector",
        "levels": [1, 2.5, None, True],
        "scope": {"region": "vest", "codes": ["a", "b"]},
        "representation_is_required": "true",
    }
    detail = parse(raw)
    assert detail.raw == raw
    assert agency_fields(detail) == {
        "role": "inspector",
        "levels": [1, 2.5, None, True],
        "scope": {"region": "vest", "codes": ["a", "b"]},
    }


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"type": "altinn:resource"}, "`type` must be one of: myagency:role, myagency:case"),
        ({"role": "x"}, "`type` must be one of"),
        ({"type": ["myagency:role"]}, "`type` must be one of"),
        ({"type": "myagency:role", "organizationform": "both"}, "enterprise"),
        ({"type": "myagency:role", "organizationform": 1}, "not a JSON number"),
        ({"type": "myagency:role", "allow_multiple_organizations": "yes"}, "true or false"),
        ({"type": "myagency:role", "representation_is_required": None}, "not a JSON null"),
        ({"type": "myagency:role", "allow_deleted_organizations": []}, "not a JSON array"),
        ({"type": "myagency:role", "authorized_parties": []}, "set by the provider"),
        ({"type": "myagency:role", "x" * 65: 1}, "unknown field"),
        ({"type": "myagency:role", "colour": "red"}, "unknown field `colour` for myagency:role"),
        ({"type": "myagency:role", 7: "red"}, "unknown field `7`"),
        ({"type": "myagency:role", "role": {"x": 1}}, "`role` must be a string, not a JSON object"),
        ({"type": "myagency:role", "role": None}, "`role` must be a string, not a JSON null"),
        ({"type": "myagency:role", "count": 1.5}, "`count` must be an integer"),
        ({"type": "myagency:role", "count": True}, "`count` must be an integer"),
        ({"type": "myagency:role", "ratio": "1"}, "`ratio` must be a number"),
        ({"type": "myagency:role", "urgent": "true"}, "`urgent` must be a boolean"),
        ({"type": "myagency:role", "levels": {}}, "`levels` must be an array"),
        ({"type": "myagency:role", "o": {"x" * 65: 1}}, "not a short string"),
        ({"type": "myagency:role", "deep": _nested(8)}, "nested more than 8"),
        ({"type": "myagency:role", "n": float("nan")}, "not finite"),
        ({"type": "myagency:role", "n": 2**60}, "too large"),
        ({"type": "myagency:role", "o": {1: "x"}}, "not a short string"),
        ({"type": "myagency:role", "o": {"s": {1, 2}}}, "`o.s` is not a JSON value"),
        ({"type": "myagency:role", "big": "x" * 5000}, "at most 4096"),
    ],
)
def test_refusals_name_the_field(raw: dict[Any, Any], message: str) -> None:
    with pytest.raises(InvalidDetail, match=message):
        parse(raw)


def test_nesting_up_to_the_limit_is_fine() -> None:
    assert parse({"type": "myagency:role", "deep": _nested(7)}).raw["deep"] == _nested(7)


def test_refusals_do_not_echo_long_input() -> None:
    key = "k" * 60
    with pytest.raises(InvalidDetail) as caught:
        parse({"type": "myagency:role", "kk": {key: {key: float("inf")}}})
    assert len(str(caught.value)) < 120
    with pytest.raises(InvalidDetail) as caught:
        parse({"type": "myagency:role", "z" * 5000: 1})
    assert len(str(caught.value)) < 200


def test_without_declared_fields_only_shared_ones_pass() -> None:
    bare = HttpRegisterSettings(types=("t",), base_url="http://x")
    assert parse({"type": "t", "representation_is_required": "true"}, bare).raw
    with pytest.raises(InvalidDetail, match="none besides the shared ones"):
        parse({"type": "t", "role": "x"}, bare)


def test_required_fields() -> None:
    strict = HttpRegisterSettings(
        types=("t",), base_url="http://x", fields={"role": "string"}, required_fields=("role",)
    )
    assert parse({"type": "t", "role": "x"}, strict).raw == {"type": "t", "role": "x"}
    with pytest.raises(InvalidDetail, match="`role` is required for t"):
        parse({"type": "t"}, strict)


def test_size_bound_comes_from_settings() -> None:
    small = HttpRegisterSettings(
        types=("t",), base_url="http://x", fields={"role": "string"}, max_detail_bytes=64
    )
    with pytest.raises(InvalidDetail, match="at most 64"):
        parse({"type": "t", "role": "x" * 60}, small)
