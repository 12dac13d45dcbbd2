"""The floor login's token answer: two RS256 JWTs that verify under its key, with the
claims a client reads."""

from __future__ import annotations

import base64
import json
from typing import Any

import msgspec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from bench import config
from bench.floor_login_tokens import Signer, pairwise_sub, token_answer

DETAILS = [{"type": "ansattporten:altinn:resource", "resource": config.RESOURCE}]


def part(segment: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * 4))


def verified(signer: Signer, jwt: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, signature = jwt.split(".")
    signer.key.public_key().verify(
        base64.urlsafe_b64decode(signature + "=" * 4),
        f"{header}.{payload}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )  # raises InvalidSignature otherwise
    return part(header), part(payload)


def test_both_tokens_are_rs256_jwts_signed_by_the_key() -> None:
    signer = Signer(key_size=2048)
    answer = msgspec.json.decode(token_answer(signer, "http://floor", "01810012345", "n1", DETAILS))

    access_header, access = verified(signer, answer["access_token"])
    id_header, id_token = verified(signer, answer["id_token"])

    assert signer.key.key_size == 2048
    assert access_header == {"alg": "RS256", "typ": "at+jwt", "kid": signer.kid}
    assert id_header["typ"] == "JWT"
    assert id_token["nonce"] == "n1"
    assert id_token["aud"] == config.CLIENT_ID
    assert access["authorization_details"] == id_token["authorization_details"] == DETAILS
    assert access["sub"] == id_token["sub"] == pairwise_sub("01810012345") != "01810012345"
    assert answer["token_type"] == "Bearer"
