"""OpenID Connect Core 1.0: pairwise subjects, request parameters and claim sets.

The claim builders are the single place that decides what goes into an id_token and a
JWT access token (RFC 9068 plus Ansattporten's own claims), so that the token endpoint,
refresh and tests all agree on the exact claim set.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ansattporten.errors import InvalidRequest

__all__ = [
    "PROMPT_VALUES",
    "access_token_claims",
    "id_token_claims",
    "pairwise_sub",
    "parse_acr_values",
    "parse_max_age",
    "parse_prompt",
    "pick_ui_locale",
    "public_sub",
]

PROMPT_VALUES = frozenset({"none", "login", "consent", "select_account"})
"""The `prompt` values of OIDC Core §3.1.2.1."""

_MAX_AGE = re.compile(r"[0-9]{1,10}")
"""Non-negative decimal seconds; ten digits (over 300 years) is more than enough."""

_MAX_SHOWN = 40


def _shown(value: str) -> str:
    """A request value short enough to name in an error description."""
    return value if len(value) <= _MAX_SHOWN else value[:_MAX_SHOWN] + "…"


def pairwise_sub(pid: str, sector: str, secret: bytes) -> str:
    """A pairwise subject identifier for `pid` at `sector` (OIDC Core §8.1).

    HMAC-SHA256 keyed with the provider's `secret` over the sector identifier and the
    person's identifier (joined by a NUL byte, so that no two different pairs hash the same
    input), base64url-encoded without padding: 43 characters. Different sectors get
    unrelated values, and without the secret the value cannot be turned back into a pid
    (the secret must be long and random, since pids are a small, structured space).
    """
    if not secret:
        raise ValueError("the pairwise subject secret must not be empty")
    message = sector.encode("utf-8") + b"\x00" + pid.encode("utf-8")
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def public_sub(pid: str, secret: bytes) -> str:
    """A public subject identifier for `pid` (OIDC Core 8): the same value at every
    client registered for `public` subjects, and still not the person's number (the
    keyed hash of `pairwise_sub` over an empty sector, which no client_id can be)."""
    return pairwise_sub(pid, "", secret)


def parse_prompt(value: str | None) -> frozenset[str]:
    """The set of `prompt` values; empty when the parameter is absent.

    OIDC Core §3.1.2.1: `none` must not be combined with any other value. An unknown
    value is refused too, since silently ignoring e.g. a misspelt `login` would skip the
    re-authentication the client asked for. Raises `InvalidRequest`.
    """
    if not value:
        return frozenset()
    values = frozenset(value.split())
    for item in values:
        if item not in PROMPT_VALUES:
            raise InvalidRequest(f"prompt value '{_shown(item)}' is not supported")
    if "none" in values and len(values) > 1:
        raise InvalidRequest("prompt=none cannot be combined with other values")
    return values


def parse_max_age(value: str | None) -> int | None:
    """`max_age` in seconds (OIDC Core §3.1.2.1), or None when absent.

    Only plain ASCII decimal digits are accepted (no sign, no spaces); raises
    `InvalidRequest` otherwise.
    """
    if not value:
        return None
    if _MAX_AGE.fullmatch(value) is None:
        raise InvalidRequest("max_age must be a non-negative integer number of seconds")
    return int(value)


def parse_acr_values(value: str | None, supported: Sequence[str]) -> tuple[str, ...]:
    """The requested `acr_values` that the provider supports, in request order.

    Unsupported values are ignored (they are voluntary claims, OIDC Core §5.5.1.1), but a
    request naming only unsupported values is refused with `InvalidRequest`: the client
    clearly wants an assurance level the provider cannot give.
    """
    if not value:
        return ()
    requested = value.split()
    kept = tuple(dict.fromkeys(v for v in requested if v in supported))
    if requested and not kept:
        raise InvalidRequest("none of the requested acr_values is supported")
    return kept


def pick_ui_locale(value: str | None, supported: Sequence[str], default: str) -> str:
    """The first language of `ui_locales` the UI supports, else `default`.

    `ui_locales` is a space-separated list of BCP 47 tags in order of preference (OIDC
    Core §3.1.2.1). Tags are matched case-insensitively, first whole and then by primary
    language (`nb-NO` -> `nb`); the macrolanguage `no` (Norwegian) is shown as Bokmål.
    The supported entry is returned as spelt in `supported`.
    """
    by_lower = {tag.lower(): tag for tag in supported}
    for tag in (value or "").split():
        tag = tag.lower()
        primary = tag.split("-", 1)[0]
        for candidate in (tag, primary, "nb" if primary == "no" else None):
            if candidate is not None and candidate in by_lower:
                return by_lower[candidate]
    return default


def id_token_claims(
    *,
    issuer: str,
    client_id: str,
    sub: str,
    pid: str | None,
    acr: str,
    amr: Sequence[str],
    auth_time: int,
    nonce: str,
    locale: str | None,
    now: int,
    lifetime: int,
    jti: str,
    authorization_details: list[Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The claims of an id_token (OIDC Core §2, Ansattporten's claim set).

    `aud` is the client_id as a string. `pid` is omitted when None (Entra ID logins have
    none), as is `locale`. `authorization_details` is included whenever it is not None —
    an Ansattporten convenience outside RFC 9396. `extra` adds further claims (`name`,
    `sid`, `email`, ...); it may not replace any of the claims above (ValueError).
    """
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": client_id,
        "sub": sub,
        "acr": acr,
        "amr": list(amr),
        "auth_time": auth_time,
        "nonce": nonce,
        "iat": now,
        "exp": now + lifetime,
        "jti": jti,
    }
    if pid is not None:
        claims["pid"] = pid
    if locale is not None:
        claims["locale"] = locale
    if authorization_details is not None:
        claims["authorization_details"] = authorization_details
    if extra:
        clash = sorted(set(extra) & (set(claims) | {"pid", "locale", "authorization_details"}))
        if clash:
            raise ValueError(f"extra claims may not replace {', '.join(clash)}")
        claims.update(extra)
    return claims


def access_token_claims(
    *,
    issuer: str,
    client_id: str,
    sub: str,
    pid: str | None,
    acr: str,
    amr: Sequence[str],
    auth_time: int,
    scope: str,
    now: int,
    lifetime: int,
    jti: str,
    audience: str | Sequence[str] = "unspecified",
    client_amr: str,
    authorization_details: list[Any] | None = None,
    consumer: Mapping[str, str] | None = None,
    cnf: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The claims of a JWT access token (RFC 9068 §2.2 plus Ansattporten's claims).

    RFC 9068 requires iss, exp, aud, sub, client_id, iat and jti; Ansattporten adds
    client_amr (how the client authenticated), scope, pid, acr, amr, auth_time and — so
    that the API can check what the person may do — `authorization_details` (RFC 9396
    §9.1), included whenever it is not None. `consumer` is the client's organisation in
    ISO 6523 form (`norwegian_orgno.iso6523_actor`), `cnf` the key a DPoP-bound token is
    bound to (RFC 9449 §6: `{"jkt": ...}`); each only when given. `audience` is the
    resource server, or `unspecified` as in ID-porten; a sequence becomes a JSON array.
    `pid` is omitted when None.
    """
    aud: str | list[str] = audience if isinstance(audience, str) else list(audience)
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": aud,
        "sub": sub,
        "client_id": client_id,
        "client_amr": client_amr,
        "scope": scope,
        "acr": acr,
        "amr": list(amr),
        "auth_time": auth_time,
        "iat": now,
        "exp": now + lifetime,
        "jti": jti,
    }
    if pid is not None:
        claims["pid"] = pid
    if consumer is not None:
        claims["consumer"] = dict(consumer)
    if authorization_details is not None:
        claims["authorization_details"] = authorization_details
    if cnf is not None:
        claims["cnf"] = dict(cnf)
    return claims
