"""The upstream's claims as the person and the level of the login.

Each field of the person is read from the claim `ClaimMap` names for it, and only if it
has the right shape: a `pid` must be a valid Norwegian number, an eIDAS identifier
`XX/NO/...`, a birth date ISO 8601, tenant and object ids GUIDs, groups a list of short
strings. A claim of the wrong shape is refused rather than passed on: registers and
services key on these values.

E-mail is an identifier the employer-rules register matches on by domain, so it is
passed on only as far as `email_trust` allows. For Entra ID that is `xms_edov`: Microsoft
says an `email` claim may hold any address a tenant's administrator typed in, that apps
must not identify or authorize people by it, and offers the optional claim `xms_edov`
(true when the domain's owner is verified: the address belongs to a domain the user's
own tenant has verified). Without `xms_edov: true` the person has no e-mail address
here; they are still identified by tenant and object id (`tid` + `oid`), which is what
Microsoft recommends.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from ansattporten.eid.upstream.errors import UpstreamRefused
from ansattporten.records import Person
from ansattporten.settings_eids import TENANT_ID, EidConfig
from ansattporten.spec.norwegian_pid import is_valid_pid
from ansattporten.vocabulary import satisfies

EIDAS_IDENTIFIER: Final = re.compile(r"[A-Z]{2}/[A-Z]{2}/[^\s]{1,256}")
EMAIL: Final = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")
MAX_TEXT: Final = 300
MAX_GROUP_ID: Final = 100


def refuse(config: EidConfig, why: str) -> UpstreamRefused:
    return UpstreamRefused(f"eID {config.name!r}: {why}")


def _text(claims: Mapping[str, Any], name: str, config: EidConfig) -> str | None:
    if not name or claims.get(name) is None:
        return None
    value = claims[name]
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise refuse(config, f"claim {name!r} is not a short string")
    return value or None


def person_from_claims(claims: Mapping[str, Any], config: EidConfig) -> Person:
    mapping = config.claims
    pid = _text(claims, mapping.pid, config)
    if pid is not None and not is_valid_pid(pid):
        raise refuse(config, "pid is not a valid national identity number")
    eidas = _text(claims, mapping.eidas_person_identifier, config)
    if eidas is not None and not EIDAS_IDENTIFIER.fullmatch(eidas):
        raise refuse(config, "eidas_person_identifier is not XX/YY/...")
    birthdate = _text(claims, mapping.birthdate, config)
    if birthdate is not None:
        try:
            datetime.date.fromisoformat(birthdate)
        except ValueError as exc:
            raise refuse(config, "birthdate is not YYYY-MM-DD") from exc
    tid = _guid(claims, mapping.entra_tid, config)
    oid = _guid(claims, mapping.entra_oid, config)
    person = Person(
        pid=pid,
        eidas_person_identifier=eidas,
        email=trusted_email(claims, config),
        entra_tid=tid,
        entra_oid=oid,
        name=_text(claims, mapping.name, config),
        given_name=_text(claims, mapping.given_name, config),
        family_name=_text(claims, mapping.family_name, config),
        birthdate=birthdate,
        groups=_groups(claims, mapping.groups, config),
        eid_subject=f"{claims['iss']} {claims['sub']}",
    )
    return person


def _guid(claims: Mapping[str, Any], name: str, config: EidConfig) -> str | None:
    value = _text(claims, name, config)
    if value is not None and not TENANT_ID.fullmatch(value.lower()):
        raise refuse(config, f"claim {name!r} is not a GUID")
    return value.lower() if value else None


def _groups(claims: Mapping[str, Any], name: str, config: EidConfig) -> tuple[str, ...]:
    """Group ids in the upstream's order, at most `max_groups`. An Entra user in more
    than 200 groups gets the overage claim instead of `groups`; the broker does not call
    Microsoft Graph, so such a person has no groups here."""
    if not name or claims.get(name) is None:
        return ()
    value = claims[name]
    if not isinstance(value, list) or not all(
        isinstance(item, str) and 0 < len(item) <= MAX_GROUP_ID for item in value
    ):
        raise refuse(config, f"claim {name!r} is not a list of group ids")
    return tuple(value[: config.max_groups])


def trusted_email(claims: Mapping[str, Any], config: EidConfig) -> str | None:
    email = _text(claims, config.claims.email, config)
    if email is None or not EMAIL.fullmatch(email):
        return None
    trust = config.email_trust
    vouched = (
        trust == "always"
        or (trust == "email_verified" and claims.get("email_verified") is True)
        or (trust == "xms_edov" and claims.get("xms_edov") in (True, 1, "1", "true"))
    )
    return email if vouched else None


def login_acr(claims: Mapping[str, Any], config: EidConfig, accepted: Sequence[str]) -> str:
    """The level of this login: the upstream's `acr` when it is one the request
    accepts from this eID (a higher level of the same kind counts), or the eID's one
    level when it serves only one (`acr_from_upstream = false`, Entra ID)."""
    if not config.acr_from_upstream:
        level = config.acr_values[0]
        if level not in accepted:
            raise refuse(config, "serves no level this request accepts")
        return level
    acr = _text(claims, config.claims.acr, config)
    if acr is None or acr not in config.acr_values or not satisfies(acr, accepted):
        raise refuse(config, "acr is not a level this request accepts")
    return acr


def login_amr(claims: Mapping[str, Any], config: EidConfig) -> tuple[str, ...]:
    """The upstream's authentication methods, prefixed as configured (`entraid_pwd`)."""
    name = config.claims.amr
    value = claims.get(name) if name else None
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(item, str) and 0 < len(item) <= 64 for item in value
    ):
        raise refuse(config, "amr is not a list of short strings")
    return tuple(f"{config.amr_prefix}{item}" for item in value[:20])


def auth_time(claims: Mapping[str, Any], now: int) -> int:
    value = claims.get("auth_time")
    if isinstance(value, int) and not isinstance(value, bool) and now - 86400 < value <= now + 60:
        return value
    return now
