"""The mock Entra ID's fixture: application registrations and tenants with users.

    {
      "applications": [{"client_id": "<GUID>", "display_name": "...", "publisher": "...",
                        "redirect_uris": ["..."], "client_secrets": ["..."],
                        "jwks": null, "optional_claims": ["email", "given_name", "family_name"],
                        "group_membership_claims": "SecurityGroup", "emit_amr": true}],
      "tenants": [{"tenant_id": "<GUID>", "display_name": "...", "domains": ["x.example"],
                   "app_access": "user_consent",
                   "users": [{"oid": "<GUID>", "user_principal_name": "a@x.example",
                              "email": "a@x.example", "given_name": "...", "family_name": "...",
                              "groups": ["<GUID>", ...], "amr": ["pwd", "mfa"]}]}]
    }

`app_access` says how the tenant treats the (multi-tenant) application, as an Entra
administrator can set it: `user_consent` (the default: each user consents the first
time), `admin_consented` (an administrator consented for everyone), `blocked` (user
assignment required and nobody assigned: AADSTS50105) or `disabled` (the enterprise
application is disabled for sign-in: AADSTS7000112).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal

import msgspec

from ansattporten.upstream_mocks.fixture_files import (
    GUID,
    FixtureError,
    check_jwks,
    check_redirect_uris,
    decode,
)

DEMO_FIXTURE: Final = Path(__file__).parents[1] / "fixtures" / "entra_demo.json"
OPTIONAL_CLAIMS: Final = ("email", "given_name", "family_name", "xms_edov")
"""Optional claims an app registration may ask for. `xms_edov` (email domain owner
verified) is true when the address's domain is one the user's tenant has verified."""

AppAccess = Literal["user_consent", "admin_consented", "blocked", "disabled"]


class Application(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    client_id: str
    display_name: str
    redirect_uris: list[str]
    publisher: str = "Unverified"
    client_secrets: list[str] = msgspec.field(default_factory=list)
    jwks: dict[str, Any] | None = None
    """Public keys of the application's certificates, for `private_key_jwt`."""
    optional_claims: list[str] = msgspec.field(default_factory=lambda: list(OPTIONAL_CLAIMS))
    group_membership_claims: Literal["None", "SecurityGroup", "All"] = "SecurityGroup"
    emit_amr: bool = True
    """Microsoft documents `amr` for v1.0 tokens only; Ansattporten forwards amr values
    it gets from Entra, so the mock sends them unless this is false."""


class User(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    oid: str
    user_principal_name: str
    given_name: str
    family_name: str
    email: str | None = None
    display_name: str | None = None
    groups: list[str] = msgspec.field(default_factory=list)
    amr: list[str] = msgspec.field(default_factory=lambda: ["pwd"])
    about: str | None = None

    @property
    def name(self) -> str:
        return self.display_name or f"{self.given_name} {self.family_name}"


class Tenant(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    tenant_id: str
    display_name: str
    domains: list[str] = msgspec.field(default_factory=list)
    app_access: AppAccess = "user_consent"
    users: list[User] = msgspec.field(default_factory=list)
    about: str | None = None

    def user(self, oid: str) -> User | None:
        return next((u for u in self.users if u.oid == oid), None)


class EntraFixture(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    applications: list[Application]
    tenants: list[Tenant]
    about: str | None = msgspec.field(default=None, name="_about")

    def application(self, client_id: str) -> Application | None:
        return next((a for a in self.applications if a.client_id == client_id), None)

    def tenant(self, id_or_domain: str) -> Tenant | None:
        wanted = id_or_domain.lower()
        for tenant in self.tenants:
            if tenant.tenant_id == wanted or wanted in (d.lower() for d in tenant.domains):
                return tenant
        return None


def load_fixture(source: Path | Mapping[str, Any]) -> EntraFixture:
    fixture = decode(source, EntraFixture, "Entra ID")
    ids: set[str] = set()
    for app in fixture.applications:
        owner = f"application {app.client_id}"
        _check_guid(owner, app.client_id, ids)
        check_redirect_uris(owner, app.redirect_uris)
        if not app.client_secrets and not app.jwks:
            raise FixtureError(f"{owner}: a confidential client needs a secret or a jwks")
        if app.jwks:
            check_jwks(owner, app.jwks)
        unknown = set(app.optional_claims) - set(OPTIONAL_CLAIMS)
        if unknown:
            raise FixtureError(f"{owner}: unsupported optional claims {sorted(unknown)}")
    for tenant in fixture.tenants:
        owner = f"tenant {tenant.tenant_id}"
        _check_guid(owner, tenant.tenant_id, ids)
        for user in tenant.users:
            _check_guid(f"{owner} user {user.oid}", user.oid, ids)
            for group in user.groups:
                if not GUID.fullmatch(group):
                    raise FixtureError(f"{owner} user {user.oid}: group {group!r} is no GUID")
    return fixture


def _check_guid(owner: str, value: str, seen: set[str]) -> None:
    if not GUID.fullmatch(value):
        raise FixtureError(f"{owner}: {value!r} must be a lower-case GUID")
    if value in seen:
        raise FixtureError(f"{owner}: {value!r} is used twice")
    seen.add(value)
