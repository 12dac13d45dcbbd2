"""JOSE for the provider's own tokens: signing keys, JWS signing, verification, JWKS.

Keys are stored as private JWK dicts in the database so that every instance signs with
the same key and publishes the same JWKS. `SigningKeys` imports them once (importing an
RSA key checks its primes, which costs milliseconds) and then signs with the imported
objects, so a token costs one RSA/EC signature and two small JSON encodings.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeGuard

import msgspec
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, GuestProtocol, JWKRegistry, KeyParameters, KeySet, RSAKey

from ansattporten.errors import InvalidToken, ServerError
from ansattporten.spec import rfc7517

__all__ = [
    "ACCESS_TOKEN_TYP",
    "LargeHeaders",
    "SigningKeys",
    "check_time_claims",
    "generate_private_jwk",
    "verified_by_key_set",
]

ACCESS_TOKEN_TYP = "at+jwt"
"""The `typ` header of access tokens (RFC 9068 §2.1): what keeps them apart from
id_tokens, which are signed with the same keys. Checked wherever an access token is
accepted (`SigningKeys.verify(token, typ=...)`)."""

_KEY_TYPE_OF_ALG: Mapping[str, str] = {"RS256": "RSA", "ES256": "EC"}
"""The algorithms the provider signs with: RS256 by default, ES256 where a client asks."""


class LargeHeaders(jws.JWSRegistry):
    """A JWS registry for headers that carry a key (a DPoP proof's `jwk`) or a
    certificate chain (`x5c`, our tokens' and a client assertion's): a few KB, where
    joserfc stops at 512 bytes by default."""

    max_header_length = 16384


_REGISTRY = LargeHeaders(algorithms=list(_KEY_TYPE_OF_ALG))
"""Only our algorithms verify: never `none`, never an HMAC keyed with a public key."""

SigningKey = RSAKey | ECKey


def _new_kid() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode("ascii")


def generate_private_jwk(alg: Literal["RS256", "ES256"] = "RS256") -> dict[str, Any]:
    """A new private signing key as a JWK dict, ready to be stored.

    RSA 2048 for RS256, P-256 for ES256; with a random `kid` (16 bytes, base64url), the
    `alg` it is for and `use: "sig"`, so the published key says exactly how to use it.
    """
    parameters: KeyParameters = {"kid": _new_kid(), "alg": alg, "use": "sig"}
    key: SigningKey
    if alg == "RS256":
        key = RSAKey.generate_key(2048, parameters=parameters, private=True)
    elif alg == "ES256":
        key = ECKey.generate_key("P-256", parameters=parameters, private=True)
    else:
        raise ValueError(f"unsupported signing algorithm {alg!r}")
    return dict(key.as_dict(private=True))


def _import(jwk: Mapping[str, Any]) -> SigningKey:
    """Import one stored private JWK, refusing anything that is not a signing key of ours."""
    kid, alg = jwk.get("kid"), jwk.get("alg")
    if not isinstance(kid, str) or not kid:
        raise ValueError("a signing key needs a kid")
    if not isinstance(alg, str) or alg not in _KEY_TYPE_OF_ALG:
        raise ValueError(f"signing key {kid}: alg must be one of {sorted(_KEY_TYPE_OF_ALG)}")
    if jwk.get("kty") != _KEY_TYPE_OF_ALG[alg] or jwk.get("use", "sig") != "sig":
        raise ValueError(f"signing key {kid}: kty/use do not fit alg {alg}")
    if alg == "ES256" and jwk.get("crv") != "P-256":
        raise ValueError(f"signing key {kid}: ES256 needs curve P-256")
    key = JWKRegistry.import_key(dict(jwk))
    if not isinstance(key, RSAKey | ECKey) or not key.is_private:
        raise ValueError(f"signing key {kid}: not a private RSA or EC key")
    if "x5c" in jwk:
        try:
            rfc7517.check_chain(key.public_key, jwk["x5c"])
        except ValueError as error:
            raise ValueError(f"signing key {kid}: {error}") from error
    return key


class SigningKeys:
    """The provider's signing keys, imported once, with one active key.

    `active_kid` names the key that signs with its algorithm. For another algorithm
    (ES256 for a client that asks for it, when the active key is RSA) the first key of
    that algorithm in `private_jwks` signs, so the caller lists keys in order of
    preference. All keys verify and all are published, so a key can be published before
    it becomes active and stay published after it is retired.
    """

    def __init__(self, private_jwks: Sequence[Mapping[str, Any]], active_kid: str) -> None:
        self._keys: dict[str, SigningKey] = {}
        for jwk in private_jwks:
            key = _import(jwk)
            kid = str(key.kid)
            if kid in self._keys:
                raise ValueError(f"signing key {kid} appears twice")
            self._keys[kid] = key
        if active_kid not in self._keys:
            raise ValueError(f"the active signing key {active_kid} is not among the keys")
        self.active_kid = active_kid
        self._signer_of_alg: dict[str, tuple[str, SigningKey]] = {}
        for kid, key in self._keys.items():
            self._signer_of_alg.setdefault(str(key.alg), (kid, key))
        active = self._keys[active_kid]
        self._signer_of_alg[str(active.alg)] = (active_kid, active)
        self._jwks: dict[str, Any] = {
            "keys": [dict(key.as_dict(private=False)) for key in self._keys.values()]
        }
        self._x5c: dict[str, list[str]] = {
            str(jwk["kid"]): list(jwk["x5c"]) for jwk in private_jwks if "x5c" in jwk
        }

    def sign(self, claims: Mapping[str, Any], *, alg: str = "RS256", typ: str | None = None) -> str:
        """A compact JWS of `claims`, header `{"kid", "alg"}` plus `typ` when given, and
        the key's certificate chain (`x5c`) when it has one, as ID-porten's tokens do.

        Access tokens pass `typ="at+jwt"` (RFC 9068 §2.1) so that they cannot be confused
        with id_tokens. Raises `ServerError` when no key of `alg` is configured.
        """
        signer = self._signer_of_alg.get(alg)
        if signer is None:
            raise ServerError(f"no signing key for {alg}")
        kid, key = signer
        header: dict[str, Any] = {"kid": kid, "alg": alg}
        if typ is not None:
            header["typ"] = typ
        if kid in self._x5c:
            header["x5c"] = self._x5c[kid]
        payload = msgspec.json.encode(claims if isinstance(claims, dict) else dict(claims))
        return jws.serialize_compact(header, payload, key, registry=_REGISTRY)

    def public_jwks(self) -> dict[str, Any]:
        """The JWK Set to publish at jwks_uri: public members of every key only."""
        return {"keys": [dict(key) for key in self._jwks["keys"]]}

    def verify(self, token: str, *, typ: str | None = None) -> dict[str, Any]:
        """The claims of `token` after checking its signature against our key named by kid,
        and, when `typ` is given, that its header says it is that type of token (RFC 9068
        §4: an access token must be `at+jwt`, so an id_token is never one).

        Raises `InvalidToken` for a malformed token, an unknown kid, an algorithm other
        than the key's, a bad signature, the wrong `typ` or a payload that is not a JSON
        object. Time claims are not checked here: see `check_time_claims`.
        """

        def key_for(obj: GuestProtocol) -> SigningKey:
            header = obj.headers()
            if typ is not None and str(header.get("typ", "")).lower() not in (
                typ,
                f"application/{typ}",
            ):
                raise InvalidToken(f"the token is not of type {typ}")
            key = self._keys.get(str(header.get("kid")))
            if key is None:
                raise InvalidToken("the token is not signed by a key of this provider")
            if header.get("alg") != key.alg:
                raise InvalidToken("the token's alg does not match its key")
            return key

        try:
            signed = jws.deserialize_compact(token, key_for, registry=_REGISTRY)
            claims: object = msgspec.json.decode(signed.payload or b"")
        except InvalidToken:
            raise
        except (JoseError, msgspec.DecodeError, ValueError, TypeError, KeyError) as error:
            raise InvalidToken("the token is malformed or its signature is invalid") from error
        if not isinstance(claims, dict):
            raise InvalidToken("the token's payload is not a JSON object")
        return claims


def verified_by_key_set(
    token: str, jwks: Mapping[str, Any], registry: jws.JWSRegistry
) -> dict[str, Any]:
    """The JSON object a compact JWS carries, once signed by a key of the JWK Set `jwks`
    (a client's) with an algorithm `registry` allows. ValueError for anything else: a
    bad key set, signature or algorithm, a payload that is no JSON object. The caller
    turns it into its own OAuth error (a client assertion's, a request object's)."""
    try:
        keys = KeySet.import_key_set(dict(jwks))  # type: ignore[arg-type]
        claims: object = msgspec.json.decode(
            jws.deserialize_compact(token, keys, registry=registry).payload or b""
        )
    except (JoseError, msgspec.DecodeError, TypeError, KeyError) as error:
        raise ValueError("not signed by the key set") from error
    if not isinstance(claims, dict):
        raise ValueError("the payload is not a JSON object")
    return claims


def check_time_claims(claims: Mapping[str, Any], *, now: int, leeway: int = 0) -> None:
    """Refuse a token that has expired or is not yet valid (RFC 7519 §4.1.4, §4.1.5).

    `exp` is required; `nbf` is checked when present. `leeway` seconds of clock skew are
    allowed either way. Raises `InvalidToken`.
    """
    exp = claims.get("exp")
    if not _is_numeric_date(exp):
        raise InvalidToken("the token has no valid exp")
    if now >= exp + leeway:
        raise InvalidToken("the token has expired")
    if "nbf" in claims:
        nbf = claims["nbf"]
        if not _is_numeric_date(nbf):
            raise InvalidToken("the token's nbf is not a number")
        if now + leeway < nbf:
            raise InvalidToken("the token is not valid yet")


def _is_numeric_date(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)
