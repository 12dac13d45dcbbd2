"""A DPoP client's key and its proofs (RFC 9449 4), written from the RFC for the tests
(not with the provider's code): a proof is a `dpop+jwt` signed by the key whose public
half is in its header."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from joserfc import jws
from joserfc.jwk import ECKey, RSAKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def rfc7638_thumbprint(public_jwk: dict[str, Any]) -> str:
    """SHA-256 over the required members in lexicographic order, no whitespace."""
    required = {
        "EC": ("crv", "kty", "x", "y"),
        "RSA": ("e", "kty", "n"),
        "OKP": ("crv", "kty", "x"),
    }
    members = {name: public_jwk[name] for name in required[public_jwk["kty"]]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64url(hashlib.sha256(canonical).digest())


def ath(access_token: str) -> str:
    return b64url(hashlib.sha256(access_token.encode()).digest())


@dataclass
class DpopKey:
    alg: str = "ES256"
    key: ECKey | RSAKey = field(init=False)

    def __post_init__(self) -> None:
        if self.alg.startswith("ES"):
            curve = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}[self.alg]
            self.key = ECKey.generate_key(curve, private=True)
        else:
            self.key = RSAKey.generate_key(2048, private=True)

    @property
    def public_jwk(self) -> dict[str, Any]:
        return {k: v for k, v in self.key.as_dict(private=False).items() if k not in ("kid",)}

    @property
    def jkt(self) -> str:
        return rfc7638_thumbprint(self.public_jwk)

    def proof(
        self,
        method: str,
        url: str,
        *,
        access_token: str | None = None,
        nonce: str | None = None,
        header: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        """A proof for `method` `url`; `header` and `claims` add to or replace what a
        correct proof says (a value of None leaves a member out)."""
        values: dict[str, Any] = {
            "jti": secrets.token_urlsafe(16),
            "htm": method,
            "htu": url,
            "iat": int(time.time()),
        }
        if access_token is not None:
            values["ath"] = ath(access_token)
        if nonce is not None:
            values["nonce"] = nonce
        values.update(claims)
        protected = {"typ": "dpop+jwt", "alg": self.alg, "jwk": self.public_jwk, **(header or {})}
        protected = {k: v for k, v in protected.items() if v is not None}
        payload = {k: v for k, v in values.items() if v is not None}
        registry = jws.JWSRegistry(algorithms=[self.alg])
        return jws.serialize_compact(
            protected, json.dumps(payload).encode(), self.key, registry=registry
        )
