"""DPoP proofs (RFC 9449 4.3), checked without state: every way a proof can be wrong
is refused with `invalid_dpop_proof`; server nonces are keyed and expire."""

from __future__ import annotations

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey

from ansattporten.errors import InvalidDpopProof
from ansattporten.spec.rfc9449 import (
    ALGORITHMS,
    challenge,
    is_current_nonce,
    is_thumbprint,
    new_nonce,
    normalized_htu,
    verify_proof,
)
from tests.support.dpop import DpopKey, ath, b64url, rfc7638_thumbprint

URI = "https://ap.test/token"
NOW = int(time.time())
"""For proofs made with an explicit `iat`; the others are checked at the current time."""


def check(proof: str, **overrides: object) -> object:
    arguments: dict[str, object] = {"method": "POST", "uri": URI, "now": int(time.time())}
    arguments.update(overrides)
    return verify_proof(proof, **arguments)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def key() -> DpopKey:
    return DpopKey("ES256")


@pytest.mark.parametrize("alg", ["ES256", "ES384", "ES512", "RS256", "PS256"])
def test_a_proof_gives_its_keys_thumbprint(alg: str) -> None:
    signer = DpopKey(alg)

    proof = check(signer.proof("POST", URI, iat=NOW), now=NOW)

    assert proof.jkt == signer.jkt  # type: ignore[attr-defined]
    assert proof.iat == NOW  # type: ignore[attr-defined]


def test_the_thumbprint_of_rfc7638s_example_key() -> None:
    example = {
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6t"
        "Soc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-"
        "65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qN"
        "Lyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awa"
        "pJzKnqDKgw",
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29",
    }
    assert rfc7638_thumbprint(example) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    assert RSAKey.import_key(example).thumbprint() == rfc7638_thumbprint(example)


@pytest.mark.parametrize(
    "htu",
    [
        "https://ap.test/token",
        "https://AP.test:443/token",
        "https://ap.test/token?x=1#frag",
        "https://ap.test/t%6Fken",
        "https://ap.test/a/../token",
    ],
)
def test_htu_is_compared_after_normalisation(key: DpopKey, htu: str) -> None:
    assert check(key.proof("POST", htu))


@pytest.mark.parametrize(
    "htu",
    [
        "https://ap.test/userinfo",
        "http://ap.test/token",
        "https://ap.test:8443/token",
        "https://other.test/token",
        "https://ap.test/token/",
        "https://ap.test/TOKEN",
        "https://ap.test/t%2Fken",
        "token",
    ],
)
def test_a_proof_for_another_uri_is_refused(key: DpopKey, htu: str) -> None:
    with pytest.raises(InvalidDpopProof, match="htu"):
        check(key.proof("POST", htu))


@pytest.mark.parametrize("htm", ["GET", "post", None])
def test_a_proof_for_another_method_is_refused(key: DpopKey, htm: str | None) -> None:
    with pytest.raises(InvalidDpopProof, match="htm"):
        check(key.proof("POST", URI, htm=htm))


@pytest.mark.parametrize(
    ("iat", "refused"),
    [(NOW - 119, False), (NOW + 59, False), (NOW - 121, True), (NOW + 61, True), ("1", True)],
)
def test_iat_must_be_recent(key: DpopKey, iat: object, refused: bool) -> None:
    proof = key.proof("POST", URI, iat=iat)
    if refused:
        with pytest.raises(InvalidDpopProof, match=r"iat|old|future"):
            check(proof, now=NOW)
    else:
        assert check(proof, now=NOW)


@pytest.mark.parametrize("jti", [None, "", 5, "x" * 257])
def test_a_jti_is_required(key: DpopKey, jti: object) -> None:
    with pytest.raises(InvalidDpopProof, match="jti"):
        check(key.proof("POST", URI, jti=jti))


def test_with_an_access_token_ath_must_be_its_hash(key: DpopKey) -> None:
    assert check(key.proof("POST", URI, access_token="at-1"), access_token="at-1")
    with pytest.raises(InvalidDpopProof, match="ath"):
        check(key.proof("POST", URI, access_token="at-2"), access_token="at-1")
    with pytest.raises(InvalidDpopProof, match="ath"):
        check(key.proof("POST", URI), access_token="at-1")
    assert ath("at-1") != ath("at-2")


@pytest.mark.parametrize("typ", [None, "JWT", "at+jwt", "dpop"])
def test_typ_must_be_dpop_jwt(key: DpopKey, typ: str | None) -> None:
    with pytest.raises(InvalidDpopProof, match="typ"):
        check(key.proof("POST", URI, header={"typ": typ}))


def segment(value: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("alg", ["none", "HS256", "RS1", ""])
def test_only_asymmetric_algorithms(key: DpopKey, alg: str) -> None:
    header = {"typ": "dpop+jwt", "alg": alg, "jwk": key.public_jwk}
    claims = {"jti": "j", "htm": "POST", "htu": URI, "iat": NOW}
    forged = f"{segment(header)}.{segment(claims)}.{'' if alg == 'none' else 'c2ln'}"

    with pytest.raises(InvalidDpopProof, match="alg"):
        check(forged)


def test_the_jwk_must_be_public(key: DpopKey) -> None:
    private = dict(key.key.as_dict(private=True))
    with pytest.raises(InvalidDpopProof, match="private"):
        check(key.proof("POST", URI, header={"jwk": private}))


def test_the_jwk_is_required(key: DpopKey) -> None:
    with pytest.raises(InvalidDpopProof, match="jwk"):
        check(key.proof("POST", URI, header={"jwk": None}))


def unsigned(header: dict[str, object]) -> str:
    """A proof whose checks before the signature decide (the signature is junk)."""
    claims = {"jti": "j", "htm": "POST", "htu": URI, "iat": NOW}
    return f"{segment({'typ': 'dpop+jwt', **header})}.{segment(claims)}.c2ln"


@pytest.mark.parametrize(
    ("alg", "signer", "refusal"),
    [("RS256", "ES256", "RSA key"), ("ES256", "RS256", "EC key"), ("ES384", "ES256", "curve")],
)
def test_the_key_must_fit_the_algorithm(alg: str, signer: str, refusal: str) -> None:
    with pytest.raises(InvalidDpopProof, match=refusal):
        check(unsigned({"alg": alg, "jwk": DpopKey(signer).public_jwk}))


def test_a_short_rsa_key_is_refused() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    numbers = weak.public_numbers()
    jwk = {
        "kty": "RSA",
        "n": b64url(numbers.n.to_bytes(128, "big")),
        "e": b64url(numbers.e.to_bytes(3, "big")),
    }

    with pytest.raises(InvalidDpopProof, match="shorter"):
        check(unsigned({"alg": "RS256", "jwk": jwk}))


def test_a_proof_signed_by_another_key_is_refused(key: DpopKey) -> None:
    thief = ECKey.generate_key("P-256", private=True)
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": key.public_jwk}
    claims = {"jti": "j", "htm": "POST", "htu": URI, "iat": NOW}
    proof = jws.serialize_compact(header, json.dumps(claims), thief)

    with pytest.raises(InvalidDpopProof, match="signature"):
        check(proof)


@pytest.mark.parametrize("value", ["", "a.b", "a.b.c.d", "not a jwt", "x" * 9000])
def test_garbage_is_refused(value: str) -> None:
    with pytest.raises(InvalidDpopProof):
        check(value)


def test_a_nonce_is_passed_on(key: DpopKey) -> None:
    assert check(key.proof("POST", URI, nonce="n-1")).nonce == "n-1"  # type: ignore[attr-defined]


def test_nonces_are_keyed_and_expire() -> None:
    nonce = new_nonce(b"k1", NOW)

    assert is_current_nonce(nonce, b"k1", NOW)
    assert is_current_nonce(nonce, b"k1", NOW + 120)
    assert not is_current_nonce(nonce, b"k1", NOW + 240)
    assert not is_current_nonce(nonce, b"k2", NOW)
    assert not is_current_nonce(nonce + "x", b"k1", NOW)
    assert not is_current_nonce("", b"k1", NOW)
    assert not is_current_nonce("99999999999999.x", b"k1", NOW)


def test_the_challenge_names_the_error_and_the_algorithms() -> None:
    value = challenge("invalid_dpop_proof", 'bad "proof"')

    assert value.startswith('DPoP error="invalid_dpop_proof", error_description="bad \'proof\'"')
    assert f'algs="{" ".join(ALGORITHMS)}"' in value


def test_normalised_htu() -> None:
    assert normalized_htu("HTTPS://AP.test:443") == "https://ap.test/"
    assert normalized_htu("https://ap.test/a/./b/../c") == "https://ap.test/a/c"
    assert normalized_htu("https://ap.test/%7e%2f") == "https://ap.test/~%2F"
    assert normalized_htu("ftp://ap.test/") is None


def test_a_thumbprint_is_43_base64url_characters(key: DpopKey) -> None:
    assert is_thumbprint(key.jkt)
    assert not is_thumbprint(key.jkt + "A")
    assert not is_thumbprint("+" * 43)
