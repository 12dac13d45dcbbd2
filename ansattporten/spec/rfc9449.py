"""OAuth 2.0 Demonstrating Proof of Possession (DPoP, RFC 9449): checking a proof.

A DPoP proof is a JWT the client signs with a key of its own, whose public half rides in
the header (`jwk`); it names the request it was made for (`htm`, `htu`), when (`iat`),
a unique `jti`, and at a resource the hash of the access token it accompanies (`ath`).
A token bound to that key names it by thumbprint (`cnf.jkt`, RFC 7638).

`verify_proof` makes every check of RFC 9449 4.3 that needs no state; the caller keeps
the `jti` (replay) and decides about nonces (`new_nonce`, `is_current_nonce`: stateless,
keyed, so every instance issues and accepts the same ones).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, unquote, urlsplit

import msgspec
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, JWKRegistry, OKPKey, RSAKey

from ansattporten.errors import InvalidDpopProof
from ansattporten.spec.jose import LargeHeaders
from ansattporten.spec.rfc6454 import origin_of

__all__ = [
    "ALGORITHMS",
    "PROOF_TYP",
    "DpopProof",
    "access_token_hash",
    "challenge",
    "is_current_nonce",
    "is_thumbprint",
    "new_nonce",
    "normalized_htu",
    "verify_proof",
]

PROOF_TYP: Final = "dpop+jwt"
ALGORITHMS: Final = (
    "ES256",
    "ES384",
    "ES512",
    "PS256",
    "PS384",
    "PS512",
    "RS256",
    "RS384",
    "RS512",
    "EdDSA",
)
"""Asymmetric algorithms only (4.3: never `none`, never a MAC): what the proof's own
key can be checked with. Published as `dpop_signing_alg_values_supported`."""

MAX_AGE: Final = 120
"""Seconds a proof is accepted after its `iat` (ID-porten suggests proofs live about a
minute); its `jti` must be remembered this long plus `FUTURE_LEEWAY`."""
FUTURE_LEEWAY: Final = 60
"""Seconds a proof's `iat` may lie ahead of our clock (a client's clock runs fast)."""
MAX_PROOF_LENGTH: Final = 8192
MAX_JTI_LENGTH: Final = 256
NONCE_PERIOD: Final = 120
"""Seconds one server nonce is handed out; it is accepted one period more."""
_REGISTRY = LargeHeaders(algorithms=list(ALGORITHMS))
"""The header carries the proof's public key: an RSA key of 4096 bits takes ~1 KB."""
_CURVES: Mapping[str, tuple[str, ...]] = {
    "ES256": ("P-256",),
    "ES384": ("P-384",),
    "ES512": ("P-521",),
    "EdDSA": ("Ed25519", "Ed448"),
}
_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
_MIN_RSA_BITS = 2048
_THUMBPRINT = re.compile(r"[A-Za-z0-9_-]{43}")
_UNRESERVED = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


@dataclass(frozen=True, slots=True)
class DpopProof:
    """A proof that passed `verify_proof`."""

    jkt: str
    """The RFC 7638 thumbprint of the proof's key: what a bound token's `cnf.jkt` says."""
    jti: str
    iat: int
    nonce: str | None

    @property
    def remember_until(self) -> int:
        """Until when the `jti` must be refused again (after that `iat` is too old)."""
        return self.iat + MAX_AGE + FUTURE_LEEWAY


def verify_proof(
    value: str, *, method: str, uri: str, now: int, access_token: str | None = None
) -> DpopProof:
    """The proof in a `DPoP` header, checked for a request `method` to `uri` (RFC 9449
    4.3): a `dpop+jwt` signed with an asymmetric algorithm by the public key in its
    `jwk`, for this method and URI, made recently, and with the access token's hash
    when it accompanies one. Raises `InvalidDpopProof`."""
    if not value or len(value) > MAX_PROOF_LENGTH or value.count(".") != 2:
        raise InvalidDpopProof("the DPoP proof is not a compact JWT")
    header = _header(value)
    key = _proof_key(header)
    try:
        signed = jws.deserialize_compact(value, key, registry=_REGISTRY)
        claims: object = msgspec.json.decode(signed.payload or b"")
    except (JoseError, msgspec.DecodeError, ValueError, TypeError) as error:
        raise InvalidDpopProof("the DPoP proof's signature is not valid") from error
    if not isinstance(claims, dict):
        raise InvalidDpopProof("the DPoP proof's payload is not a JSON object")
    _check_request(claims, method=method, uri=uri)
    iat = _check_iat(claims, now)
    _check_ath(claims, access_token)
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 0 < len(jti) <= MAX_JTI_LENGTH:
        raise InvalidDpopProof("the DPoP proof needs a jti")
    nonce = claims.get("nonce")
    if nonce is not None and not isinstance(nonce, str):
        raise InvalidDpopProof("the DPoP proof's nonce is not a string")
    return DpopProof(jkt=key.thumbprint(), jti=jti, iat=iat, nonce=nonce)


def _header(value: str) -> dict[str, Any]:
    try:
        header: object = msgspec.json.decode(_b64decode(value.split(".", 1)[0]))
    except (msgspec.DecodeError, ValueError) as error:
        raise InvalidDpopProof("the DPoP proof's header is not JSON") from error
    if not isinstance(header, dict):
        raise InvalidDpopProof("the DPoP proof's header is not a JSON object")
    if str(header.get("typ", "")).lower() != PROOF_TYP:
        raise InvalidDpopProof(f"the DPoP proof's typ must be {PROOF_TYP}")
    if header.get("alg") not in ALGORITHMS:
        raise InvalidDpopProof(f"the DPoP proof's alg must be one of {' '.join(ALGORITHMS)}")
    return header


def _proof_key(header: Mapping[str, Any]) -> RSAKey | ECKey | OKPKey:
    """The public key in the header, fit for the header's alg."""
    jwk = header.get("jwk")
    alg = str(header["alg"])
    if not isinstance(jwk, dict):
        raise InvalidDpopProof("the DPoP proof needs its public key in jwk")
    if _PRIVATE_MEMBERS & set(jwk):
        raise InvalidDpopProof("the DPoP proof's jwk must not hold a private key")
    expected = _key_type(alg)
    if jwk.get("kty") != expected:
        raise InvalidDpopProof(f"a {alg} DPoP proof needs a {expected} key")
    if alg in _CURVES and jwk.get("crv") not in _CURVES[alg]:
        raise InvalidDpopProof(f"the DPoP proof's key is not on a curve for {alg}")
    if expected == "RSA" and _rsa_bits(jwk) < _MIN_RSA_BITS:
        raise InvalidDpopProof(f"the DPoP proof's RSA key is shorter than {_MIN_RSA_BITS} bits")
    try:
        key = JWKRegistry.import_key(dict(jwk))
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise InvalidDpopProof("the DPoP proof's jwk is not a usable key") from error
    if not isinstance(key, RSAKey | ECKey | OKPKey) or key.is_private:
        raise InvalidDpopProof("the DPoP proof's jwk is not a public signing key")
    return key


def _key_type(alg: str) -> str:
    if alg == "EdDSA":
        return "OKP"
    return "EC" if alg.startswith("ES") else "RSA"


def _rsa_bits(jwk: Mapping[str, Any]) -> int:
    """Checked before import: importing a short key only warns."""
    try:
        return int.from_bytes(_b64decode(str(jwk.get("n", ""))), "big").bit_length()
    except ValueError:
        return 0


def _check_request(claims: Mapping[str, Any], *, method: str, uri: str) -> None:
    if claims.get("htm") != method:
        raise InvalidDpopProof(f"the DPoP proof's htm must be {method}")
    htu = claims.get("htu")
    if not isinstance(htu, str) or normalized_htu(htu) != normalized_htu(uri):
        raise InvalidDpopProof("the DPoP proof's htu does not name this endpoint")


def _check_iat(claims: Mapping[str, Any], now: int) -> int:
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        raise InvalidDpopProof("the DPoP proof needs a numeric iat")
    if iat < now - MAX_AGE:
        raise InvalidDpopProof("the DPoP proof is too old")
    if iat > now + FUTURE_LEEWAY:
        raise InvalidDpopProof("the DPoP proof is issued in the future")
    return int(iat)


def _check_ath(claims: Mapping[str, Any], access_token: str | None) -> None:
    if access_token is None:
        return
    ath = claims.get("ath")
    if not isinstance(ath, str) or not hmac.compare_digest(ath, access_token_hash(access_token)):
        raise InvalidDpopProof("the DPoP proof's ath is not the access token's hash")


def is_thumbprint(value: str) -> bool:
    """Whether `value` can be a key's SHA-256 thumbprint (RFC 7638), as `dpop_jkt` is."""
    return _THUMBPRINT.fullmatch(value) is not None


def access_token_hash(access_token: str) -> str:
    """`ath`: base64url of the SHA-256 of the token's ASCII (4.2)."""
    return _b64encode(hashlib.sha256(access_token.encode("ascii", "replace")).digest())


def normalized_htu(uri: str) -> str | None:
    """`uri` without query and fragment, after RFC 3986's syntax- and scheme-based
    normalisation (6.2.2, 6.2.3), as RFC 9449 4.3 advises before comparing: scheme and
    host in lower case, the default port dropped (the URI's origin, RFC 6454),
    percent-encoding of unreserved characters decoded and of the rest in upper case,
    dot segments removed, an empty path as "/". None when it is no http(s) URI."""
    origin = origin_of(uri)
    if origin is None:
        return None
    path = urlsplit(uri).path
    return origin + (_remove_dot_segments(_UNRESERVED.sub(_normalized_escape, path)) or "/")


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 for an absolute path: `.` and `..` segments resolved."""
    output: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(output) > 1:
                output.pop()
        elif segment != ".":
            output.append(segment)
    resolved = "/".join(output)
    return resolved + "/" if path.endswith(("/.", "/..")) else resolved


def _normalized_escape(match: re.Match[str]) -> str:
    char = unquote(match.group(0))
    return char if char in _UNRESERVED_CHARS else quote(char, safe="").upper()


def challenge(error: str | None, description: str | None = None) -> str:
    """A `WWW-Authenticate: DPoP ...` value (7.1), naming the algorithms we accept."""
    params = []
    if error:
        params.append(f'error="{error}"')
    if description:
        params.append('error_description="{}"'.format(description.replace('"', "'")))
    params.append(f'algs="{" ".join(ALGORITHMS)}"')
    return "DPoP " + ", ".join(params)


def new_nonce(key: bytes, now: float) -> str:
    """The server nonce for now (8): the period's number and its keyed MAC, so any
    instance holding `key` can tell a nonce it or another instance handed out."""
    period = int(now) // NONCE_PERIOD
    return f"{period}.{_period_mac(key, period)}"


def is_current_nonce(nonce: str, key: bytes, now: float) -> bool:
    """Whether `nonce` was handed out this period or the one before."""
    number, _, mac = nonce.partition(".")
    if not number.isascii() or not number.isdigit() or len(number) > 12:
        return False
    period = int(number)
    current = int(now) // NONCE_PERIOD
    return period in (current, current - 1) and hmac.compare_digest(mac, _period_mac(key, period))


def _period_mac(key: bytes, period: int) -> str:
    return _b64encode(hmac.new(key, f"dpop-nonce:{period}".encode(), hashlib.sha256).digest())


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
