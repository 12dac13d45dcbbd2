"""What tokens and userinfo say about the person, decided in one place.

- `name`: wherever the eID gives a name (the full name, or the given and family names
  joined), as Ansattporten's id_tokens carry it;
- `given_name`, `family_name`: with scope `profile`, and always for an eIDAS login;
- eIDAS logins: the four mandatory eIDAS attributes, `eidas_person_identifier`,
  `given_name`, `family_name` and `birthdate` (as ID-porten passes them on);
  `birthdate` otherwise only with `profile`;
- `email`: an address the eID vouches for (Entra ID: the domain owner is verified);
- `groups`: Entra ID group object ids, the first `TOKEN_GROUPS` (20).

`pid` (only when known), `sub`, `acr` and `amr` are set by the claim builders in
`spec/oidc_core.py`; this module adds the rest.
"""

from __future__ import annotations

from typing import Any

from ansattporten.records import Person
from ansattporten.settings_eids import TOKEN_GROUPS

PERSON_CLAIMS = (
    "name",
    "given_name",
    "family_name",
    "birthdate",
    "eidas_person_identifier",
    "email",
    "groups",
)
"""Every claim this module may add (discovery lists those the enabled eIDs can fill)."""


def person_claims(person: Person, scope: str | tuple[str, ...]) -> dict[str, Any]:
    scopes = scope.split() if isinstance(scope, str) else scope
    profile = "profile" in scopes
    eidas = person.eidas_person_identifier is not None
    claims: dict[str, Any] = {}
    full_name = person.full_name
    if full_name:
        claims["name"] = full_name
    if profile or eidas:
        if person.given_name:
            claims["given_name"] = person.given_name
        if person.family_name:
            claims["family_name"] = person.family_name
        if person.birthdate:
            claims["birthdate"] = person.birthdate
    if eidas:
        claims["eidas_person_identifier"] = person.eidas_person_identifier
    if person.email:
        claims["email"] = person.email
    if person.groups:
        claims["groups"] = list(person.groups[:TOKEN_GROUPS])
    return claims
