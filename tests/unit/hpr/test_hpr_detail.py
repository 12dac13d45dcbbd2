"""Parsing `ansattporten:hpr` requests."""

from __future__ import annotations

from typing import Any

import pytest

from authz_sources import InvalidDetail
from authz_sources.hpr import RAR_TYPE, HprDetail, parse_hpr_detail


def test_minimal_request() -> None:
    detail = parse_hpr_detail({"type": RAR_TYPE})
    assert detail == HprDetail(type=RAR_TYPE, raw={"type": RAR_TYPE})
    assert detail.professions == ()
    assert detail.approval_is_required is False


@pytest.mark.parametrize(
    ("flag", "expected"), [(True, True), (False, False), ("true", True), ("false", False)]
)
def test_approval_is_required_accepts_booleans_and_their_strings(
    flag: object, expected: bool
) -> None:
    raw = {"type": RAR_TYPE, "approval_is_required": flag}
    assert parse_hpr_detail(raw).approval_is_required is expected


def test_professions_are_kept_in_order_without_repeats() -> None:
    raw = {"type": RAR_TYPE, "professions": ["SP", "LE", "SP", "FA1"]}
    assert parse_hpr_detail(raw).professions == ("SP", "LE", "FA1")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"type": "ansattporten:orgno"}, "type must be"),
        ({}, "type must be"),
        ({"type": RAR_TYPE, "resource": "x"}, "unknown field 'resource'"),
        ({"type": RAR_TYPE, "organizationform": "enterprise"}, "unknown field"),
        ({"type": RAR_TYPE, "professions": "LE"}, "non-empty array"),
        ({"type": RAR_TYPE, "professions": []}, "non-empty array"),
        ({"type": RAR_TYPE, "professions": ["le"]}, "not a code from list 9060"),
        ({"type": RAR_TYPE, "professions": ["LE", 7]}, "7, which is not a code"),
        ({"type": RAR_TYPE, "professions": ["LE"] * 31}, "at most 30"),
        ({"type": RAR_TYPE, "approval_is_required": "yes"}, "`approval_is_required` must be"),
        ({"type": RAR_TYPE, "approval_is_required": None}, "`approval_is_required` must be"),
        ({"type": RAR_TYPE, "approval_is_required": 1}, "`approval_is_required` must be"),
    ],
)
def test_malformed_requests_are_refused_precisely(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidDetail, match=message):
        parse_hpr_detail(raw)


def test_long_input_is_not_echoed_back() -> None:
    with pytest.raises(InvalidDetail) as caught:
        parse_hpr_detail({"type": RAR_TYPE, "professions": ["X" * 5000]})
    assert len(str(caught.value)) < 200
