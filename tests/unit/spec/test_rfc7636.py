"""RFC 7636 PKCE helpers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansattporten.spec.rfc7636 import is_valid_challenge, is_valid_verifier, s256, verify_s256

VERIFIER = "xyo94uhy3zKvgB0NJwLms86SwcjtWviEOpkBnGgaLlo"
CHALLENGE = "b7elB7ZyxIXgFyvBznKvxl7wOB-H17Pz0a3B62NIMFI"

UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
verifiers = st.text(alphabet=UNRESERVED, min_size=43, max_size=128)


def test_known_vector() -> None:
    assert s256(VERIFIER) == CHALLENGE
    assert verify_s256(VERIFIER, CHALLENGE)


def test_rfc_appendix_b_vector() -> None:
    assert (
        s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_wrong_verifier_does_not_match() -> None:
    assert not verify_s256(VERIFIER[:-1] + "x", CHALLENGE)


def test_invalid_verifier_never_matches() -> None:
    short = "a" * 42
    assert not verify_s256(short, s256(short))


def test_non_ascii_challenge_does_not_raise() -> None:
    assert not verify_s256(VERIFIER, "ø" * 43)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("a" * 43, True),
        ("a" * 128, True),
        ("a" * 42, False),
        ("a" * 129, False),
        ("a" * 42 + "+", False),
        ("-._~" * 11, True),
        ("a" * 43 + "\n", False),
    ],
)
def test_is_valid_verifier(value: str, valid: bool) -> None:
    assert is_valid_verifier(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (CHALLENGE, True),
        (CHALLENGE + "=", False),
        (CHALLENGE[:-1], False),
        (CHALLENGE[:-1] + "+", False),
        (CHALLENGE[:-1] + "/", False),
        (CHALLENGE + "\n", False),
    ],
)
def test_is_valid_challenge(value: str, valid: bool) -> None:
    assert is_valid_challenge(value) is valid


@given(verifiers)
def test_s256_output_is_always_a_valid_challenge(verifier: str) -> None:
    assert is_valid_challenge(s256(verifier))
    assert verify_s256(verifier, s256(verifier))


@given(st.text(), st.text())
def test_verify_never_raises(verifier: str, challenge: str) -> None:
    verify_s256(verifier, challenge)
