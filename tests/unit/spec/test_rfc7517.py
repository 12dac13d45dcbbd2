"""`x5c` (RFC 7517 4.7): a signing key's certificate chain goes into the JWKS and every
token header, and a chain that certifies another key is never loaded."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from joserfc import jws
from joserfc.jwk import RSAKey

from ansattporten.spec.jose import SigningKeys
from ansattporten.spec.rfc7517 import certificates_of, check_chain, x5c_of
from tests.support.maskinporten_keys import certificate, rsa_key
from tests.support.tokens import LargeHeaders


def stored_jwk(x5c: list[str]) -> dict[str, object]:
    return {
        **RSAKey.import_key(KEY).as_dict(private=True),
        "kid": "k1",
        "alg": "RS256",
        "use": "sig",
        "x5c": x5c,
    }


KEY = rsa_key()
CERT = certificate(KEY)
CHAIN = x5c_of([CERT])


def test_x5c_is_standard_base64_der() -> None:
    assert base64.b64decode(CHAIN[0]) == CERT.public_bytes(serialization.Encoding.DER)
    assert certificates_of(CHAIN) == [CERT]


def test_the_chain_is_published_and_sent_in_every_header() -> None:
    keys = SigningKeys([stored_jwk(CHAIN)], active_kid="k1")

    token = keys.sign({"sub": "x"}, typ="at+jwt")

    assert keys.public_jwks()["keys"][0]["x5c"] == CHAIN
    assert "d" not in keys.public_jwks()["keys"][0]
    header = jws.extract_compact(token.encode(), registry=LargeHeaders()).headers()
    assert header["x5c"] == CHAIN
    assert keys.verify(token, typ="at+jwt") == {"sub": "x"}


def test_a_chain_for_another_key_is_never_loaded() -> None:
    stranger = x5c_of([certificate(rsa_key())])

    with pytest.raises(ValueError, match="does not belong"):
        SigningKeys([stored_jwk(stranger)], active_kid="k1")


@pytest.mark.parametrize(
    "x5c", [[], "MIIB", ["not base64!"], [base64.b64encode(b"junk").decode()], [5]]
)
def test_what_is_no_chain_is_refused(x5c: object) -> None:
    with pytest.raises(ValueError, match="x5c"):
        check_chain(KEY.public_key(), x5c)
