"""OpenID Connect Core helpers: pairwise sub, request parameters and claim sets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansattporten.errors import InvalidRequest
from ansattporten.spec.oidc_core import (
    PROMPT_VALUES,
    access_token_claims,
    id_token_claims,
    pairwise_sub,
    parse_acr_values,
    parse_max_age,
    parse_prompt,
    pick_ui_locale,
)

SECRET = b"k" * 32
PID = "45840375084"
ACRS = ("idporten-loa-substantial", "idporten-loa-high", "entraid", "substantial", "high")


class TestPairwiseSub:
    def test_shape_and_determinism(self) -> None:
        sub = pairwise_sub(PID, "client.example", SECRET)
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", sub)
        assert sub == pairwise_sub(PID, "client.example", SECRET)
        assert PID not in sub

    def test_differs_per_sector_secret_and_pid(self) -> None:
        sub = pairwise_sub(PID, "a.example", SECRET)
        assert sub != pairwise_sub(PID, "b.example", SECRET)
        assert sub != pairwise_sub(PID, "a.example", b"j" * 32)
        assert sub != pairwise_sub("01010112345", "a.example", SECRET)

    def test_sector_and_pid_boundary_is_unambiguous(self) -> None:
        assert pairwise_sub("1", "a1", SECRET) != pairwise_sub("11", "a", SECRET)

    def test_empty_secret_is_refused(self) -> None:
        with pytest.raises(ValueError, match="secret"):
            pairwise_sub(PID, "a", b"")


class TestPrompt:
    def test_absent(self) -> None:
        assert parse_prompt(None) == frozenset()
        assert parse_prompt("") == frozenset()

    def test_values(self) -> None:
        assert parse_prompt("login consent") == {"login", "consent"}
        assert parse_prompt("none") == {"none"}
        assert frozenset({"none", "login", "consent", "select_account"}) == PROMPT_VALUES

    def test_none_cannot_be_combined(self) -> None:
        with pytest.raises(InvalidRequest, match="none"):
            parse_prompt("none login")

    def test_unknown_value(self) -> None:
        with pytest.raises(InvalidRequest, match="'logn'"):
            parse_prompt("logn")


class TestMaxAge:
    @pytest.mark.parametrize(
        ("value", "expected"), [(None, None), ("", None), ("0", 0), ("3600", 3600)]
    )
    def test_valid(self, value: str | None, expected: int | None) -> None:
        assert parse_max_age(value) == expected

    @pytest.mark.parametrize("value", ["-1", "+1", " 1", "1.5", "abc", "١٢", "9" * 5000])
    def test_invalid(self, value: str) -> None:
        with pytest.raises(InvalidRequest):
            parse_max_age(value)

    @given(st.text())
    def test_never_raises_anything_else(self, value: str) -> None:
        try:
            result = parse_max_age(value)
        except InvalidRequest:
            return
        assert result is None or result >= 0


class TestAcrValues:
    def test_keeps_supported_in_order(self) -> None:
        assert parse_acr_values("high foo substantial high", ACRS) == ("high", "substantial")

    def test_absent(self) -> None:
        assert parse_acr_values(None, ACRS) == ()
        assert parse_acr_values("", ACRS) == ()

    def test_none_supported(self) -> None:
        with pytest.raises(InvalidRequest, match="acr_values"):
            parse_acr_values("urn:unknown level4", ACRS)


class TestUiLocale:
    SUPPORTED = ("nb", "nn", "en", "se")

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (None, "nb"),
            ("", "nb"),
            ("en", "en"),
            ("de fr nn", "nn"),
            ("nb-NO", "nb"),
            ("NN-no en", "nn"),
            ("no", "nb"),
            ("no-NO", "nb"),
            ("en-GB nb", "en"),
            ("de", "nb"),
        ],
    )
    def test_pick(self, value: str | None, expected: str) -> None:
        assert pick_ui_locale(value, self.SUPPORTED, "nb") == expected

    def test_default_when_nothing_fits(self) -> None:
        assert pick_ui_locale("fr", self.SUPPORTED, "en") == "en"


class TestIdTokenClaims:
    def base(self, **overrides: Any) -> dict[str, Any]:
        args: dict[str, Any] = {
            "issuer": "https://test.ansattporten.no",
            "client_id": "demo",
            "sub": "s",
            "pid": PID,
            "acr": "high",
            "amr": ("TestID",),
            "auth_time": 1000,
            "nonce": "n",
            "locale": "en",
            "now": 1010,
            "lifetime": 120,
            "jti": "j",
        }
        args.update(overrides)
        return id_token_claims(**args)

    def test_claim_set(self) -> None:
        assert self.base() == {
            "iss": "https://test.ansattporten.no",
            "aud": "demo",
            "sub": "s",
            "pid": PID,
            "acr": "high",
            "amr": ["TestID"],
            "auth_time": 1000,
            "nonce": "n",
            "locale": "en",
            "iat": 1010,
            "exp": 1130,
            "jti": "j",
        }

    def test_authorization_details_only_when_given(self) -> None:
        assert "authorization_details" not in self.base()
        assert self.base(authorization_details=[])["authorization_details"] == []

    def test_entra_login_has_no_pid(self) -> None:
        assert "pid" not in self.base(pid=None)

    def test_extra_claims_are_added_but_may_not_replace(self) -> None:
        assert self.base(extra={"name": "NAMN", "sid": "x"})["name"] == "NAMN"
        with pytest.raises(ValueError, match="sub"):
            self.base(extra={"sub": "other"})
        with pytest.raises(ValueError, match="pid"):
            self.base(pid=None, extra={"pid": "x"})


class TestAccessTokenClaims:
    def base(self, **overrides: Any) -> dict[str, Any]:
        args: dict[str, Any] = {
            "issuer": "https://test.ansattporten.no",
            "client_id": "demo",
            "sub": "s",
            "pid": PID,
            "acr": "substantial",
            "amr": ["Minid-PIN"],
            "auth_time": 1000,
            "scope": "openid profile",
            "now": 1010,
            "lifetime": 600,
            "jti": "j",
            "client_amr": "client_secret_basic",
        }
        args.update(overrides)
        return access_token_claims(**args)

    def test_claim_set(self) -> None:
        assert self.base(authorization_details=[{"type": "t"}]) == {
            "iss": "https://test.ansattporten.no",
            "aud": "unspecified",
            "sub": "s",
            "client_id": "demo",
            "client_amr": "client_secret_basic",
            "scope": "openid profile",
            "pid": PID,
            "acr": "substantial",
            "amr": ["Minid-PIN"],
            "auth_time": 1000,
            "iat": 1010,
            "exp": 1610,
            "jti": "j",
            "authorization_details": [{"type": "t"}],
        }

    def test_audience(self) -> None:
        assert self.base(audience="https://api.example")["aud"] == "https://api.example"
        assert self.base(audience=("a", "b"))["aud"] == ["a", "b"]

    def test_optional_claims_absent(self) -> None:
        claims = self.base(pid=None)
        assert "pid" not in claims
        assert "authorization_details" not in claims
