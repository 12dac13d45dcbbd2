"""Client assertions (RFC 7523) as ID-porten's clients send them: a client with a
business certificate puts it in the header (`x5c`) beside the registered key's `kid`."""

from __future__ import annotations

import time

from joserfc import jwt
from joserfc.jwk import RSAKey

from ansattporten.spec.rfc7517 import x5c_of
from ansattporten.spec.rfc7523 import decode_client_assertion
from tests.support.maskinporten_keys import certificate, rsa_key


def test_an_assertion_with_its_certificate_chain_in_the_header_is_read() -> None:
    private = rsa_key()
    key = RSAKey.import_key(private, {"kid": "client-key"})
    header = {"alg": "RS256", "kid": "client-key", "x5c": x5c_of([certificate(private)])}
    now = int(time.time())
    claims = {"iss": "svc", "sub": "svc", "aud": "https://ap.test", "exp": now + 60, "jti": "j"}
    assertion = jwt.encode(header, claims, key)
    jwks = {"keys": [dict(key.as_dict(private=False))]}

    assert decode_client_assertion(assertion, jwks)["jti"] == "j"
