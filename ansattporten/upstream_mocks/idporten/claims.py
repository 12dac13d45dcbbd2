"""What the mock ID-porten says about the person: id_token and userinfo claims.

Sources, all in felleslosninger/docs unless noted:
- `oidc_protocol_id_token.md`: iss, aud, sub (pairwise per client), pid, acr, amr (an
  array), auth_time, iat, exp (120 s after iat in every example), jti, nonce, locale,
  and `sid` only for clients registered with `frontchannel_logout_session_required`.
- `oidc_func_eidas.md` and the eIDAS connector's `EidasClaims.java`
  (felleslosninger/eidas-idporten-connector): an eIDAS login has `amr: ["eIDAS"]`,
  `acr: eidas-loa-*`, the four eIDAS attributes as `eidas_person_identifier`,
  `given_name`, `family_name`, `birthdate`, and `pid` only when the population register
  matched the person. `sub` is derived from the eIDAS identifier, so it stays the same
  if the person is matched later.
- Names for national logins: ID-porten documents no name claims; Ansattporten's tokens
  carry `name` (and `given_name`/`family_name` with `profile`), which it can only get
  from its eIDs. The mock gives them with scope `profile` **[inferred]**.
- `oidc_protocol_userinfo.md`: userinfo returns `sub`, `pid`, `locale`.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any, Final

import msgspec

from ansattporten.upstream_mocks.faults import Faults
from ansattporten.upstream_mocks.memory import random_handle

ID_TOKEN_LIFETIME: Final = 120


class Authenticated(msgspec.Struct, frozen=True, kw_only=True):
    """A finished login at the mock, kept with the code until the token request."""

    subject_key: str
    """What the pairwise `sub` is derived from: the pid, or the eIDAS identifier."""
    pid: str | None
    acr: str
    amr: tuple[str, ...]
    given_name: str
    family_name: str
    auth_time: int
    locale: str
    sid: str
    eidas_person_identifier: str | None = None
    birthdate: str | None = None


def pairwise_sub(issuer: str, client_id: str, subject_key: str) -> str:
    """Stable per (issuer, client, person), different for another client; as long as
    ID-porten's newer values (86 base64url characters)."""
    digest = hashlib.sha512(f"{issuer}\x00{client_id}\x00{subject_key}".encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def id_token_claims(
    *,
    issuer: str,
    client_id: str,
    scopes: tuple[str, ...],
    nonce: str | None,
    with_sid: bool,
    who: Authenticated,
    now: int,
    faults: Faults,
) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": faults.id_token_issuer or issuer,
        "aud": faults.id_token_audience or client_id,
        "sub": pairwise_sub(issuer, client_id, who.subject_key),
        "acr": who.acr,
        "amr": list(who.amr),
        "auth_time": who.auth_time,
        "iat": now,
        "exp": now - 1 if faults.id_token_expired else now + ID_TOKEN_LIFETIME,
        "jti": random_handle(8),
        "locale": who.locale,
    }
    if who.pid is not None:
        claims["pid"] = who.pid
    if faults.id_token_nonce is not None:
        claims["nonce"] = faults.id_token_nonce
    elif nonce is not None:
        claims["nonce"] = nonce
    if with_sid:
        claims["sid"] = who.sid
    claims.update(person_claims(who, scopes))
    return claims


def person_claims(who: Authenticated, scopes: tuple[str, ...]) -> dict[str, Any]:
    if who.eidas_person_identifier is not None:
        return {
            "eidas_person_identifier": who.eidas_person_identifier,
            "given_name": who.given_name,
            "family_name": who.family_name,
            "birthdate": who.birthdate,
        }
    if "profile" in scopes:
        return {
            "name": f"{who.given_name} {who.family_name}",
            "given_name": who.given_name,
            "family_name": who.family_name,
        }
    return {}


def userinfo_claims(
    *, issuer: str, client_id: str, scopes: tuple[str, ...], who: Authenticated
) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "sub": pairwise_sub(issuer, client_id, who.subject_key),
        "locale": who.locale,
    }
    if who.pid is not None:
        claims["pid"] = who.pid
    claims.update(person_claims(who, scopes))
    return claims
