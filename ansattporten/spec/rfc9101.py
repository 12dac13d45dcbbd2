"""JWT-Secured Authorization Request (JAR, RFC 9101): a request object by value.

The client sends its authorization request as one JWT, `request`, signed with a key it
registered; ID-porten documents this for clients with a registered key (OIDC Core 6.1),
and refuses request objects by reference. The object's claims are the request's
parameters, and only they count (RFC 9101 6.3): parameters beside it are ignored,
except `client_id`, which must name the same client as the object does.

The object must say who made it and for whom: `iss` and `client_id` the client, `aud`
our issuer, `exp` near (RFC 9101 10.2 asks for short-lived objects). An object inside
an object, or one by reference inside it, is refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from ansattporten.errors import InvalidRequestObject
from ansattporten.spec.jose import LargeHeaders, verified_by_key_set

__all__ = ["ALGORITHMS", "MAX_LIFETIME", "decode_request_object", "request_parameters"]

ALGORITHMS: Final = ("RS256", "RS384", "RS512", "PS256", "ES256")
"""Signed, never `none` or a MAC: ID-porten takes RS256/384/512 from client keys."""
MAX_LIFETIME: Final = 3600
"""Seconds an object may be valid for, from now (FAPI's bound: an hour)."""
MAX_LENGTH: Final = 32768
_REGISTRY = LargeHeaders(algorithms=list(ALGORITHMS))
_JWT_ONLY: Final = frozenset({"iss", "aud", "exp", "iat", "nbf", "jti"})
"""Claims about the object itself, not parameters of the request."""
_NEVER_INSIDE: Final = frozenset({"request", "request_uri"})


def decode_request_object(value: str, jwks: Mapping[str, Any]) -> dict[str, Any]:
    """The claims of a request object signed by one of the client's keys."""
    if len(value) > MAX_LENGTH:
        raise InvalidRequestObject("the request object is too large")
    if value.count(".") == 4:
        raise InvalidRequestObject("encrypted request objects are not supported")
    try:
        return verified_by_key_set(value, jwks, _REGISTRY)
    except ValueError as error:
        raise InvalidRequestObject(
            f"the request object must be a JSON object signed ({', '.join(ALGORITHMS)}) "
            "with a key the client registered"
        ) from error


def request_parameters(
    claims: Mapping[str, Any], *, client_id: str, issuer: str, now: int
) -> dict[str, str]:
    """The authorization request the object carries, as parameters, after checking the
    object names this client and this provider and is valid now."""
    if claims.get("iss") != client_id:
        raise InvalidRequestObject("the request object's iss must be the client_id")
    if claims.get("client_id", client_id) != client_id:
        raise InvalidRequestObject("the request object's client_id must be the client's")
    audience = claims.get("aud")
    if not (audience == issuer or (isinstance(audience, list) and issuer in audience)):
        raise InvalidRequestObject("the request object's aud must be the issuer")
    check_lifetime(claims, now)
    nested = sorted(_NEVER_INSIDE & set(claims))
    if nested:
        raise InvalidRequestObject(f"a request object may not carry {nested[0]}")
    parameters = {
        name: parameter_value(name, value)
        for name, value in claims.items()
        if name not in _JWT_ONLY and value is not None
    }
    parameters["client_id"] = client_id
    return parameters


def check_lifetime(claims: Mapping[str, Any], now: int) -> None:
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise InvalidRequestObject("the request object needs exp")
    if exp <= now:
        raise InvalidRequestObject("the request object has expired")
    if exp > now + MAX_LIFETIME:
        raise InvalidRequestObject(f"the request object may be valid for {MAX_LIFETIME} s at most")
    nbf = claims.get("nbf")
    if nbf is not None and (not isinstance(nbf, int | float) or nbf > now + 60):
        raise InvalidRequestObject("the request object is not valid yet")


def parameter_value(name: str, value: object) -> str:
    """A claim as the parameter it stands for: strings as they are, numbers as decimals
    (`max_age`), and `authorization_details` - a JSON array in an object (RFC 9396 3) -
    as its JSON text."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if name == "authorization_details" and isinstance(value, list):
        return json.dumps(value)
    raise InvalidRequestObject(f"the request object's {name[:40]} must be a string")
