"""RFC 6749 helpers: single-valued parameters, Basic auth, redirects, scope, state."""

from __future__ import annotations

import base64
import contextlib
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansattporten.errors import InvalidClient, InvalidRequest, InvalidScope
from ansattporten.spec.rfc6749 import (
    add_params_to_uri,
    is_valid_state,
    parse_basic_auth,
    single_valued,
    split_scope,
)


def basic(client_id: str, secret: str) -> str:
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return "Basic " + base64.b64encode(raw).decode()


class TestSingleValued:
    def test_pairs_become_a_dict(self) -> None:
        assert single_valued([("a", "1"), ("b", "2")]) == {"a": "1", "b": "2"}

    def test_repeated_parameter_is_refused(self) -> None:
        with pytest.raises(InvalidRequest, match="parameter 'state' is repeated"):
            single_valued([("state", "1"), ("state", "2")])

    def test_empty_values_are_absent(self) -> None:
        assert single_valued([("a", ""), ("b", "2")]) == {"b": "2"}
        assert single_valued([("a", ""), ("a", "1")]) == {"a": "1"}

    def test_only_named_parameters_are_kept_and_others_ignored(self) -> None:
        pairs = [("scope", "openid"), ("junk", "1"), ("junk", "2")]
        assert single_valued(pairs, names={"scope", "state"}) == {"scope": "openid"}

    def test_long_repeated_name_is_not_echoed_whole(self) -> None:
        name = "x" * 5000
        with pytest.raises(InvalidRequest) as caught:
            single_valued([(name, "1"), (name, "2")])
        assert len(caught.value.description) < 100


class TestParseBasicAuth:
    def test_plain_credentials(self) -> None:
        assert parse_basic_auth(basic("client", "s3cret")) == ("client", "s3cret")

    def test_form_urlencoded_before_base64(self) -> None:
        assert parse_basic_auth(basic("a:b c", "æ+ø:%")) == ("a:b c", "æ+ø:%")

    def test_scheme_is_case_insensitive(self) -> None:
        value = basic("c", "s").replace("Basic", "bAsIc")
        assert parse_basic_auth(value) == ("c", "s")

    @pytest.mark.parametrize(
        "header",
        [
            "",
            "Bearer abc",
            "Basic",
            "Basic !!!",
            "Basic " + base64.b64encode(b"no-colon").decode(),
            "Basic " + base64.b64encode(b":secret").decode(),
            "Basic " + base64.b64encode(b"client:").decode(),
            "Basic " + base64.b64encode(b"\xff\xfe:x").decode(),
            "Basic " + base64.b64encode(b"c:%ff").decode(),
        ],
    )
    def test_malformed_is_invalid_client(self, header: str) -> None:
        with pytest.raises(InvalidClient):
            parse_basic_auth(header)

    @given(st.text())
    def test_never_raises_anything_but_invalid_client(self, header: str) -> None:
        with contextlib.suppress(InvalidClient):
            parse_basic_auth(header)

    @given(st.binary())
    def test_arbitrary_base64_payload_only_invalid_client(self, raw: bytes) -> None:
        with contextlib.suppress(InvalidClient):
            parse_basic_auth("Basic " + base64.b64encode(raw).decode())

    @given(st.text(min_size=1), st.text(min_size=1))
    def test_round_trip(self, client_id: str, secret: str) -> None:
        assert parse_basic_auth(basic(client_id, secret)) == (client_id, secret)


class TestAddParamsToUri:
    def test_adds_a_query(self) -> None:
        uri = add_params_to_uri("https://c.example/cb", {"code": "abc", "state": "x y"})
        assert uri == "https://c.example/cb?code=abc&state=x%20y"

    def test_keeps_the_registered_query(self) -> None:
        uri = add_params_to_uri("https://c.example/cb?tenant=1", {"code": "abc"})
        assert uri == "https://c.example/cb?tenant=1&code=abc"

    def test_encodes_values(self) -> None:
        uri = add_params_to_uri("https://c.example/cb", {"iss": "https://test.ansattporten.no"})
        assert uri.endswith("?iss=https%3A%2F%2Ftest.ansattporten.no")

    def test_no_params_leaves_uri_alone(self) -> None:
        assert add_params_to_uri("https://c.example/cb?a=1", {}) == "https://c.example/cb?a=1"

    @given(st.dictionaries(st.text(min_size=1), st.text(min_size=1), max_size=5))
    def test_values_come_back_exactly(self, params: dict[str, str]) -> None:
        uri = add_params_to_uri("https://c.example/cb?keep=me", params)
        query = urlsplit(uri).query
        assert dict(parse_qsl(query, keep_blank_values=True)) == {"keep": "me", **params}


class TestSplitScope:
    def test_order_kept_and_duplicates_removed(self) -> None:
        assert split_scope("openid profile openid") == ("openid", "profile")

    def test_extra_spaces_tolerated(self) -> None:
        assert split_scope("  openid   profile ") == ("openid", "profile")

    def test_empty(self) -> None:
        assert split_scope("") == ()

    def test_colon_and_urn_allowed(self) -> None:
        assert split_scope("idporten:token.introspection") == ("idporten:token.introspection",)

    @pytest.mark.parametrize("scope", ['open"id', "a\\b", "a\tb", "æøå", "a\x00", "a\x7f"])
    def test_characters_outside_nqchar_are_refused(self, scope: str) -> None:
        with pytest.raises(InvalidScope):
            split_scope(scope)

    @given(st.text())
    def test_never_raises_anything_but_invalid_scope(self, scope: str) -> None:
        try:
            tokens = split_scope(scope)
        except InvalidScope:
            return
        assert all(token and " " not in token for token in tokens)


class TestIsValidState:
    def test_typical(self) -> None:
        assert is_valid_state("Hocd3Rs77Jw1BYOFJ_PP87XPza-MdrC0M9MeL33cmqE")

    def test_printable_ascii_with_space(self) -> None:
        assert is_valid_state("a b~!")

    @pytest.mark.parametrize("state", ["", "x" * 513, "a\nb", "ø", "a\x7f"])
    def test_invalid(self, state: str) -> None:
        assert not is_valid_state(state)

    def test_bound_is_inclusive(self) -> None:
        assert is_valid_state("x" * 512)
