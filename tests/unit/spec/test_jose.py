"""Signing keys, JWS signing and verification, JWKS and time claims."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from joserfc import jws, jwt
from joserfc.jwk import ECKey, RSAKey

from ansattporten.errors import InvalidToken, ServerError
from ansattporten.spec.jose import SigningKeys, check_time_claims, generate_private_jwk

PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi")
CLAIMS = {"iss": "https://i", "sub": "s", "aud": "c", "exp": 2_000_000_000, "jti": "j"}


@pytest.fixture(scope="module")
def rsa_jwk() -> dict[str, Any]:
    return generate_private_jwk("RS256")


@pytest.fixture(scope="module")
def next_rsa_jwk() -> dict[str, Any]:
    return generate_private_jwk()


@pytest.fixture(scope="module")
def ec_jwk() -> dict[str, Any]:
    return generate_private_jwk("ES256")


@pytest.fixture(scope="module")
def keys(
    rsa_jwk: dict[str, Any], next_rsa_jwk: dict[str, Any], ec_jwk: dict[str, Any]
) -> SigningKeys:
    return SigningKeys([rsa_jwk, next_rsa_jwk, ec_jwk], active_kid=rsa_jwk["kid"])


def header_of(token: str) -> dict[str, Any]:
    part = token.split(".")[0]
    header: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return header


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class TestGeneratePrivateJwk:
    def test_rsa(self, rsa_jwk: dict[str, Any]) -> None:
        assert rsa_jwk["kty"] == "RSA"
        assert rsa_jwk["alg"] == "RS256"
        assert rsa_jwk["use"] == "sig"
        assert len(base64.urlsafe_b64decode(rsa_jwk["n"] + "==")) == 256  # 2048 bits
        assert all(member in rsa_jwk for member in PRIVATE_MEMBERS)
        assert len(rsa_jwk["kid"]) == 22

    def test_ec(self, ec_jwk: dict[str, Any]) -> None:
        assert (ec_jwk["kty"], ec_jwk["crv"], ec_jwk["alg"]) == ("EC", "P-256", "ES256")
        assert "d" in ec_jwk

    def test_kids_are_random(self, rsa_jwk: dict[str, Any], next_rsa_jwk: dict[str, Any]) -> None:
        assert rsa_jwk["kid"] != next_rsa_jwk["kid"]

    def test_is_plain_json(self, ec_jwk: dict[str, Any]) -> None:
        assert json.loads(json.dumps(ec_jwk)) == ec_jwk


class TestSign:
    def test_header_and_round_trip(self, keys: SigningKeys, rsa_jwk: dict[str, Any]) -> None:
        token = keys.sign(CLAIMS)
        assert header_of(token) == {"kid": rsa_jwk["kid"], "alg": "RS256"}
        assert keys.verify(token) == CLAIMS

    def test_typ_for_access_tokens(self, keys: SigningKeys) -> None:
        assert header_of(keys.sign(CLAIMS, typ="at+jwt"))["typ"] == "at+jwt"

    def test_es256_uses_the_ec_key(self, keys: SigningKeys, ec_jwk: dict[str, Any]) -> None:
        token = keys.sign(CLAIMS, alg="ES256")
        assert header_of(token) == {"kid": ec_jwk["kid"], "alg": "ES256"}
        assert keys.verify(token) == CLAIMS

    def test_active_kid_decides(
        self, rsa_jwk: dict[str, Any], next_rsa_jwk: dict[str, Any]
    ) -> None:
        rotated = SigningKeys([rsa_jwk, next_rsa_jwk], active_kid=next_rsa_jwk["kid"])
        assert header_of(rotated.sign(CLAIMS))["kid"] == next_rsa_jwk["kid"]

    def test_unknown_alg(self, rsa_jwk: dict[str, Any]) -> None:
        with pytest.raises(ServerError):
            SigningKeys([rsa_jwk], rsa_jwk["kid"]).sign(CLAIMS, alg="ES256")

    def test_verifies_with_joserfc_and_public_jwk(
        self, keys: SigningKeys, rsa_jwk: dict[str, Any]
    ) -> None:
        public = next(k for k in keys.public_jwks()["keys"] if k["kid"] == rsa_jwk["kid"])
        token = keys.sign({**CLAIMS, "authorization_details": [{"type": "t"}]})
        decoded = jwt.decode(token, RSAKey.import_key(public), algorithms=["RS256"])
        assert decoded.claims["authorization_details"] == [{"type": "t"}]


class TestPublicJwks:
    def test_no_private_members(self, keys: SigningKeys) -> None:
        jwks = keys.public_jwks()
        assert len(jwks["keys"]) == 3
        for key in jwks["keys"]:
            assert not set(PRIVATE_MEMBERS) & set(key)
            assert key["use"] == "sig"
            assert key["kid"]
            assert key["alg"]

    def test_returned_copy_cannot_change_the_keys(self, keys: SigningKeys) -> None:
        keys.public_jwks()["keys"][0]["d"] = "leak"
        assert "d" not in keys.public_jwks()["keys"][0]

    def test_ec_public(self, keys: SigningKeys, ec_jwk: dict[str, Any]) -> None:
        ec = next(k for k in keys.public_jwks()["keys"] if k["kty"] == "EC")
        assert ec["kid"] == ec_jwk["kid"]
        assert not ECKey.import_key(ec).is_private


class TestVerify:
    def test_tampered_payload(self, keys: SigningKeys) -> None:
        head, _, sig = keys.sign(CLAIMS).split(".")
        forged = f"{head}.{b64({**CLAIMS, 'sub': 'other'})}.{sig}"
        with pytest.raises(InvalidToken):
            keys.verify(forged)

    def test_unknown_kid(self, keys: SigningKeys) -> None:
        stranger = SigningKeys([k := generate_private_jwk("ES256")], k["kid"])
        with pytest.raises(InvalidToken, match="not signed by a key"):
            keys.verify(stranger.sign(CLAIMS, alg="ES256"))

    def test_kid_swapped_to_another_key(
        self, keys: SigningKeys, next_rsa_jwk: dict[str, Any]
    ) -> None:
        _, payload, sig = keys.sign(CLAIMS).split(".")
        head = b64({"kid": next_rsa_jwk["kid"], "alg": "RS256"})
        with pytest.raises(InvalidToken):
            keys.verify(f"{head}.{payload}.{sig}")

    def test_alg_none_refused(self, keys: SigningKeys, rsa_jwk: dict[str, Any]) -> None:
        token = f"{b64({'kid': rsa_jwk['kid'], 'alg': 'none'})}.{b64(CLAIMS)}."
        with pytest.raises(InvalidToken):
            keys.verify(token)

    def test_alg_confusion_refused(self, keys: SigningKeys, rsa_jwk: dict[str, Any]) -> None:
        _, payload, sig = keys.sign(CLAIMS).split(".")
        head = b64({"kid": rsa_jwk["kid"], "alg": "ES256"})
        with pytest.raises(InvalidToken):
            keys.verify(f"{head}.{payload}.{sig}")

    def test_payload_must_be_an_object(self, keys: SigningKeys, rsa_jwk: dict[str, Any]) -> None:
        private = RSAKey.import_key(rsa_jwk)
        header = {"kid": rsa_jwk["kid"], "alg": "RS256"}
        token = jws.serialize_compact(header, b"[1, 2]", private, algorithms=["RS256"])
        with pytest.raises(InvalidToken, match="JSON object"):
            keys.verify(token)

    @pytest.mark.parametrize("token", ["", "a", "a.b", "a.b.c", "...", "ø.ø.ø", "e30.e30.e30"])
    def test_malformed(self, keys: SigningKeys, token: str) -> None:
        with pytest.raises(InvalidToken):
            keys.verify(token)


class TestSigningKeysConstruction:
    def test_active_kid_must_exist(self, rsa_jwk: dict[str, Any]) -> None:
        with pytest.raises(ValueError, match="active"):
            SigningKeys([rsa_jwk], "nope")

    def test_public_key_is_not_a_signing_key(self, rsa_jwk: dict[str, Any]) -> None:
        public = {k: v for k, v in rsa_jwk.items() if k not in PRIVATE_MEMBERS}
        with pytest.raises(ValueError, match="private"):
            SigningKeys([public], public["kid"])

    @pytest.mark.parametrize(
        "change",
        [{"kid": None}, {"alg": "HS256"}, {"alg": "ES256"}, {"use": "enc"}],
    )
    def test_bad_metadata(self, rsa_jwk: dict[str, Any], change: dict[str, Any]) -> None:
        jwk = {**rsa_jwk, **change}
        with pytest.raises(ValueError, match=r"kid|alg|use"):
            SigningKeys([jwk], rsa_jwk["kid"])

    def test_duplicate_kid(self, rsa_jwk: dict[str, Any]) -> None:
        with pytest.raises(ValueError, match="twice"):
            SigningKeys([rsa_jwk, rsa_jwk], rsa_jwk["kid"])


class TestCheckTimeClaims:
    def test_valid(self) -> None:
        check_time_claims({"exp": 200, "nbf": 100}, now=150)

    @pytest.mark.parametrize(
        "claims", [{}, {"exp": None}, {"exp": "200"}, {"exp": True}, {"exp": 150}, {"exp": 100}]
    )
    def test_expired_or_missing_exp(self, claims: dict[str, Any]) -> None:
        with pytest.raises(InvalidToken):
            check_time_claims(claims, now=150)

    def test_not_yet_valid(self) -> None:
        with pytest.raises(InvalidToken, match="not valid yet"):
            check_time_claims({"exp": 300, "nbf": 200}, now=150)
        with pytest.raises(InvalidToken):
            check_time_claims({"exp": 300, "nbf": "x"}, now=150)

    def test_leeway(self) -> None:
        check_time_claims({"exp": 150}, now=155, leeway=10)
        check_time_claims({"exp": 300, "nbf": 160}, now=150, leeway=10)
        with pytest.raises(InvalidToken):
            check_time_claims({"exp": 150}, now=160, leeway=10)
