"""The mock ID-porten's fixture: registered clients, Norwegian test people, and
foreign (eIDAS) test people.

    {
      "clients": [{"client_id": "...", "redirect_uris": ["..."],
                   "token_endpoint_auth_method": "client_secret_basic",
                   "client_secret": "...", "jwks": null, "scopes": ["openid", "profile"],
                   "frontchannel_logout_session_required": true}],
      "people": [{"pid": "23865938772", "given_name": "...", "family_name": "..."}],
      "eidas_people": [{"eidas_person_identifier": "SE/NO/198503152389",
                        "given_name": "...", "family_name": "...",
                        "birthdate": "1985-03-15", "pid": "23865938772"}]
    }

National identity numbers must be synthetic (month + 80 or + 40, valid check digits).
An eIDAS person's `pid` is the number the population register matched them to; leave
it out for a person ID-porten could not match.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal

import msgspec

from ansattporten.spec.norwegian_pid import is_synthetic, is_valid_pid
from ansattporten.upstream_mocks.fixture_files import (
    FixtureError,
    check_jwks,
    check_redirect_uris,
    decode,
)

DEMO_FIXTURE: Final = Path(__file__).parents[1] / "fixtures" / "idporten_demo.json"
EIDAS_IDENTIFIER: Final = re.compile(r"([A-Z]{2})/NO/(?:[^\W_]|-)+")
"""`XX/NO/yyyy`: issuing country, the receiving country (Norway), the country's own
identifier (letters, digits, hyphens), as ID-porten's eIDAS connector validates it."""

AuthMethod = Literal["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]


class RegisteredClient(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    client_id: str
    redirect_uris: list[str]
    token_endpoint_auth_method: AuthMethod = "client_secret_basic"
    client_secret: str | None = None
    jwks: dict[str, Any] | None = None
    scopes: list[str] = msgspec.field(default_factory=lambda: ["openid", "profile"])
    frontchannel_logout_session_required: bool = False
    """Whether id_tokens carry `sid` (ID-porten adds it only for such clients)."""
    client_name: str | None = None


class NorwegianPerson(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pid: str
    given_name: str
    family_name: str
    about: str | None = None

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class EidasPerson(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    eidas_person_identifier: str
    given_name: str
    family_name: str
    birthdate: str
    pid: str | None = None
    about: str | None = None

    @property
    def country(self) -> str:
        return self.eidas_person_identifier[:2]

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class IdPortenFixture(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    clients: list[RegisteredClient]
    people: list[NorwegianPerson] = msgspec.field(default_factory=list)
    eidas_people: list[EidasPerson] = msgspec.field(default_factory=list)
    about: str | None = msgspec.field(default=None, name="_about")

    def client(self, client_id: str) -> RegisteredClient | None:
        return next((c for c in self.clients if c.client_id == client_id), None)

    def person(self, pid: str) -> NorwegianPerson | None:
        return next((p for p in self.people if p.pid == pid), None)

    def eidas_person(self, identifier: str) -> EidasPerson | None:
        return next((p for p in self.eidas_people if p.eidas_person_identifier == identifier), None)


def load_fixture(source: Path | Mapping[str, Any]) -> IdPortenFixture:
    fixture = decode(source, IdPortenFixture, "ID-porten")
    _check_unique("client_id", [c.client_id for c in fixture.clients])
    _check_unique("pid", [p.pid for p in fixture.people])
    _check_unique(
        "eidas_person_identifier", [p.eidas_person_identifier for p in fixture.eidas_people]
    )
    for client in fixture.clients:
        _check_client(client)
    for person in fixture.people:
        _check_pid(f"person {person.pid}", person.pid)
    for foreigner in fixture.eidas_people:
        owner = f"eIDAS person {foreigner.eidas_person_identifier}"
        if not EIDAS_IDENTIFIER.fullmatch(foreigner.eidas_person_identifier):
            raise FixtureError(f"{owner}: the identifier must look like XX/NO/yyyy")
        try:
            datetime.date.fromisoformat(foreigner.birthdate)
        except ValueError as exc:
            raise FixtureError(f"{owner}: birthdate must be YYYY-MM-DD") from exc
        if foreigner.pid is not None:
            _check_pid(owner, foreigner.pid)
    return fixture


def _check_client(client: RegisteredClient) -> None:
    owner = f"client {client.client_id}"
    check_redirect_uris(owner, client.redirect_uris)
    if "openid" not in client.scopes:
        raise FixtureError(f"{owner}: scopes must include openid")
    method = client.token_endpoint_auth_method
    if method in ("client_secret_basic", "client_secret_post") and not client.client_secret:
        raise FixtureError(f"{owner}: {method} needs a client_secret")
    if method == "private_key_jwt":
        check_jwks(owner, client.jwks)


def _check_pid(owner: str, pid: str) -> None:
    if not (is_valid_pid(pid) and is_synthetic(pid)):
        raise FixtureError(f"{owner}: {pid!r} is not a synthetic national identity number")


def _check_unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise FixtureError(f"{what} {value!r} appears twice")
        seen.add(value)
