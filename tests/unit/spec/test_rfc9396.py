"""RFC 9396 authorization_details: generic structure and bounds."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansattporten.errors import InvalidAuthorizationDetails
from ansattporten.spec.rfc9396 import (
    MAX_AUTHORIZATION_DETAILS_BYTES,
    MAX_AUTHORIZATION_DETAILS_ENTRIES,
    parse_authorization_details,
    types_of,
)

RESOURCE = {"type": "ansattporten:altinn:resource", "resource": "urn:altinn:resource:x"}


@pytest.mark.parametrize("value", [None, "", "[]", " [ ] "])
def test_absent_or_empty_means_none(value: str | None) -> None:
    assert parse_authorization_details(value) == []


def test_array_of_objects_is_returned() -> None:
    value = json.dumps([RESOURCE, {"type": "ansattporten:orgno", "x": [1, {"y": None}]}])
    assert parse_authorization_details(value) == [
        RESOURCE,
        {"type": "ansattporten:orgno", "x": [1, {"y": None}]},
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not json", "authorization_details is not valid JSON"),
        ("[{]", "authorization_details is not valid JSON"),
        ("[NaN]", "authorization_details is not valid JSON"),
        ('{"type": "x"}', "authorization_details must be a JSON array"),
        ('"x"', "authorization_details must be a JSON array"),
        ('[{"type": "x"}, 3]', r"authorization_details\[1\]: must be a JSON object"),
        ('[{"type": "x"}, {}]', r"authorization_details\[1\]: 'type' is required"),
        ('[{"type": ""}]', r"authorization_details\[0\]: 'type' must be a non-empty string"),
        ('[{"type": 7}]', r"authorization_details\[0\]: 'type' must be a non-empty string"),
        ('[{"type": null}]', r"authorization_details\[0\]: 'type' must be a non-empty string"),
    ],
)
def test_invalid_structure_names_the_fault(value: str, message: str) -> None:
    with pytest.raises(InvalidAuthorizationDetails, match=f"^{message}$"):
        parse_authorization_details(value)


def test_too_many_entries() -> None:
    value = json.dumps([{"type": "t"}] * (MAX_AUTHORIZATION_DETAILS_ENTRIES + 1))
    with pytest.raises(InvalidAuthorizationDetails, match="more than 20 entries"):
        parse_authorization_details(value)
    value = json.dumps([{"type": "t"}] * MAX_AUTHORIZATION_DETAILS_ENTRIES)
    assert len(parse_authorization_details(value)) == MAX_AUTHORIZATION_DETAILS_ENTRIES


def test_byte_bound_counts_utf8_bytes_and_is_not_echoed() -> None:
    filler = "ø" * (MAX_AUTHORIZATION_DETAILS_BYTES // 2)  # 2 bytes each, plus JSON
    value = json.dumps([{"type": "t", "x": filler}], ensure_ascii=False)
    assert len(value) < MAX_AUTHORIZATION_DETAILS_BYTES < len(value.encode())
    with pytest.raises(InvalidAuthorizationDetails) as caught:
        parse_authorization_details(value)
    assert "larger than 16384 bytes" in caught.value.description
    assert "ø" not in caught.value.description


def test_deep_nesting_is_refused_cleanly() -> None:
    with pytest.raises(InvalidAuthorizationDetails):
        parse_authorization_details("[" * 10000 + "]" * 10000)


def test_lone_surrogate_is_refused_cleanly() -> None:
    with pytest.raises(InvalidAuthorizationDetails):
        parse_authorization_details('[{"type": "\ud800"}]')


def test_types_of_keeps_first_appearance_order() -> None:
    details = [{"type": "b"}, {"type": "a"}, {"type": "b"}]
    assert types_of(details) == ("b", "a")
    assert types_of([]) == ()


@given(st.text(max_size=300))
def test_arbitrary_text_only_raises_invalid_authorization_details(value: str) -> None:
    try:
        details = parse_authorization_details(value)
    except InvalidAuthorizationDetails as error:
        description = error.description
    else:
        assert all(isinstance(d["type"], str) and d["type"] for d in details)
        return
    assert len(description) < 100


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["type", "a", "b"]), children, max_size=3)
    ),
    max_leaves=20,
)


@given(json_values)
def test_arbitrary_json_only_raises_invalid_authorization_details(value: object) -> None:
    try:
        details = parse_authorization_details(json.dumps(value))
    except InvalidAuthorizationDetails:
        return
    assert isinstance(value, list)
    assert details == value
