"""Settings of the eIDs, `[eids.<name>]`: TestID, or an upstream OpenID provider the
provider logs people in through as a broker (ID-porten, Microsoft Entra ID, any OIDC
provider). Part of the settings reference (`settings.py`); docs/eids.md shows them in use.

```toml
[eids.idporten]
preset = "idporten"                      # kind = "oidc" with ID-porten's defaults
issuer = "https://test.idporten.no"
client_id = "..."
private_key_file = "idporten-key.json"   # private_key_jwt; or client_secret = "..."

[eids.entraid]
preset = "entraid"
issuer = "https://login.microsoftonline.com/organizations/v2.0"
client_id = "..."
client_secret = "..."
allowed_tenants = ["2e9678c1-f38a-58c6-a31a-797425a9263c"]
```

A preset fills in what is left out (`PRESETS`); everything it sets can be overridden.
With no `[eids]` table the provider offers TestID alone, as it always has.
"""

from __future__ import annotations

import re
from typing import Final, Literal

import msgspec

from ansattporten.vocabulary import ACR_LEVELS, ACR_VALUES, EIDAS_LEVELS, ENTRAID

EidKind = Literal["testid", "oidc"]
Preset = Literal["idporten", "entraid"]
UpstreamAuthMethod = Literal["client_secret_basic", "client_secret_post", "private_key_jwt"]
EmailTrust = Literal["email_verified", "xms_edov", "always", "never"]
AssertionAudience = Literal["issuer", "token_endpoint"]
ParUse = Literal["auto", "always", "never"]

NAME: Final = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
RESERVED_NAMES: Final = frozenset({"cancel", "return", "failed", "eid", "with"})
"""Path segments of a login's own pages (`routes.py`), which no eID may be named."""
TENANT_ID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TOKEN_GROUPS: Final = 20
"""Entra group ids a token carries (Ansattporten passes on the first 20)."""


class ClaimMap(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Which claim of the upstream id_token fills each of the person's fields; `""`
    reads nothing. The field names are those of the person (`records.Person`)."""

    pid: str = "pid"
    """Norwegian national identity number (11 digits; anything else is refused)."""
    eidas_person_identifier: str = ""
    email: str = ""
    """Read only as far as `email_trust` allows."""
    name: str = "name"
    given_name: str = "given_name"
    family_name: str = "family_name"
    birthdate: str = "birthdate"
    groups: str = ""
    entra_tid: str = ""
    entra_oid: str = ""
    amr: str = "amr"
    acr: str = "acr"


IDPORTEN_CLAIMS: Final = ClaimMap(eidas_person_identifier="eidas_person_identifier")
ENTRAID_CLAIMS: Final = ClaimMap(
    pid="", birthdate="", email="email", groups="groups", entra_tid="tid", entra_oid="oid"
)


class EidConfig(msgspec.Struct, frozen=True, kw_only=True):
    """One eID with every default applied: what the provider runs with."""

    name: str
    kind: EidKind
    label: str
    preset: Preset | None = None
    acr_values: tuple[str, ...] = ACR_LEVELS
    synthetic_only: bool = True
    issuer: str = ""
    client_id: str = ""
    client_secret: str | None = None
    private_key_file: str | None = None
    private_key_id: str | None = None
    token_endpoint_auth_method: UpstreamAuthMethod = "client_secret_basic"
    assertion_audience: AssertionAudience = "issuer"
    scope: str = "openid profile"
    pass_acr_values: bool = True
    acr_from_upstream: bool = True
    amr_prefix: str = ""
    claims: ClaimMap = ClaimMap()
    email_trust: EmailTrust = "email_verified"
    multi_tenant: bool = False
    allowed_tenants: tuple[str, ...] = ()
    max_groups: int = 200
    use_par: ParUse = "auto"
    prompt_login: bool = True
    timeout_seconds: float = 5.0
    max_response_bytes: int = 256 * 1024
    metadata_cache_seconds: float = 3600.0
    jwks_cache_seconds: float = 3600.0
    jwks_refetch_seconds: float = 10.0

    @property
    def is_upstream(self) -> bool:
        return self.kind == "oidc"


PRESETS: Final[dict[str, dict[str, object]]] = {
    "idporten": {
        "label": "ID-porten",
        "acr_values": (*ACR_LEVELS, *EIDAS_LEVELS),
        "scope": "openid profile",
        "claims": IDPORTEN_CLAIMS,
        "email_trust": "never",
        "assertion_audience": "issuer",
    },
    "entraid": {
        "label": "Microsoft Entra ID",
        "acr_values": (ENTRAID,),
        "scope": "openid profile email",
        "pass_acr_values": False,
        "acr_from_upstream": False,
        "amr_prefix": "entraid_",
        "claims": ENTRAID_CLAIMS,
        "email_trust": "xms_edov",
        "assertion_audience": "token_endpoint",
        "multi_tenant": True,
    },
}
"""What `preset = "..."` fills in. ID-porten: the national levels and eIDAS, passed on
upstream; `pid`, `amr`, `acr`, the eIDAS identifier, names and birth date. Entra ID
(multi-tenant): always `entraid`, amr prefixed `entraid_`, e-mail only where Microsoft
vouches for its domain (`xms_edov`), tenant and object id, groups, names."""


class EidSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One `[eids.<name>]` block as written; `resolve` applies the preset and defaults."""

    kind: EidKind | None = None
    """`testid` or `oidc` (an upstream OpenID provider); `oidc` when `preset` is set."""
    preset: Preset | None = None
    """`idporten` or `entraid`: the defaults of that provider (see `PRESETS`)."""
    label: str | None = None
    """The name on the eID selector (the preset's or TestID's otherwise)."""
    synthetic_only: bool = True
    """TestID: accept only synthetic national identity numbers."""
    issuer: str | None = None
    """The upstream's issuer; its discovery document is read from
    `{issuer}/.well-known/openid-configuration`. For multi-tenant Entra ID:
    `https://login.microsoftonline.com/organizations/v2.0`."""
    client_id: str | None = None
    """The provider's client id at the upstream."""
    client_secret: str | None = None
    """For `client_secret_basic` (the default with a secret) or `client_secret_post`;
    keep it in the environment or a file outside version control."""
    private_key_file: str | None = None
    """For `private_key_jwt`: a private JWK (JSON) or a PEM key file."""
    private_key_id: str | None = None
    """The `kid` of `private_key_file` (needed for a PEM key, or to override the JWK's)."""
    token_endpoint_auth_method: UpstreamAuthMethod | None = None
    """Default: `private_key_jwt` with a key file, else `client_secret_basic`."""
    assertion_audience: AssertionAudience | None = None
    """`aud` of the client assertion: the upstream's `issuer` (ID-porten, the default)
    or its `token_endpoint` URL (Entra ID)."""
    scope: str | None = None
    """Scopes asked for upstream (`openid` is required)."""
    acr_values: list[str] | None = None
    """The levels this eID serves (of `idporten-loa-*`, `eidas-loa-*`, `entraid`)."""
    pass_acr_values: bool | None = None
    """Send the requested levels upstream as `acr_values` (the lowest of each kind)."""
    acr_from_upstream: bool | None = None
    """Take `acr` from the upstream's id_token (checked against the request); false: the
    eID serves one level and every login through it has that level."""
    amr_prefix: str | None = None
    """Prefix for the upstream's `amr` values in our tokens (`entraid_`)."""
    claims: ClaimMap | None = None
    """`[eids.<name>.claims]`: which upstream claim fills which field of the person."""
    email_trust: EmailTrust | None = None
    """When the upstream's e-mail address is passed on: `email_verified` (the claim is
    true), `xms_edov` (Microsoft says the domain's owner is verified), `always`, `never`."""
    multi_tenant: bool | None = None
    """Entra ID's common endpoints: the discovery issuer holds `{tenantid}`, filled in
    from each id_token's `tid`."""
    allowed_tenants: list[str] | None = None
    """Multi-tenant: only these tenant ids may log in (empty: every tenant)."""
    max_groups: int = 200
    """Most group ids kept for the registers (tokens carry the first 20)."""
    use_par: ParUse = "auto"
    """Pushed authorization requests: `auto` when discovery offers them."""
    prompt_login: bool = True
    """Ask the upstream to authenticate the person anew (`prompt=login`): there is no
    single sign-on through Ansattporten."""
    timeout_seconds: float = 5.0
    """Deadline of each call to the upstream (discovery, keys, PAR, token)."""
    max_response_bytes: int = 256 * 1024
    """Largest answer read from the upstream."""
    metadata_cache_seconds: float = 3600.0
    """How long the discovery document is kept before it is read again."""
    jwks_cache_seconds: float = 3600.0
    """How long the upstream's keys are kept; an unknown `kid` fetches them at once."""
    jwks_refetch_seconds: float = 10.0
    """A `kid` missing after a fetch does not fetch the keys again for this long."""

    def resolve(self, name: str) -> EidConfig:
        """The eID with its preset and defaults applied; ValueError for settings that
        cannot work, naming the eID."""
        if not NAME.fullmatch(name) or name in RESERVED_NAMES:
            raise ValueError(f"eids: {name[:40]!r} is not a usable eID name (a-z, 0-9, _ -)")
        kind = self.kind or ("oidc" if self.preset or self.issuer else None)
        if kind is None:
            raise ValueError(f"eids.{name}: set kind (testid or oidc) or a preset")
        if kind == "testid":
            return self._testid(name)
        return self._upstream(name)

    def _testid(self, name: str) -> EidConfig:
        upstream_fields = [
            field
            for field in self.__struct_fields__
            if field not in ("kind", "label", "synthetic_only", "acr_values")
            and getattr(self, field) != getattr(EidSettings(), field)
        ]
        if self.preset is not None or upstream_fields:
            raise ValueError(f"eids.{name}: {upstream_fields[0] if upstream_fields else 'preset'}"
                             " is not a TestID setting")  # fmt: skip
        acr = tuple(self.acr_values or ACR_LEVELS)
        if not set(acr) <= set(ACR_LEVELS):
            raise ValueError(f"eids.{name}: TestID serves only {', '.join(ACR_LEVELS)}")
        return EidConfig(
            name=name,
            kind="testid",
            label=self.label or "TestID",
            acr_values=acr,
            synthetic_only=self.synthetic_only,
        )

    def _upstream(self, name: str) -> EidConfig:
        where = f"eids.{name}"
        preset: dict[str, object] = dict(PRESETS[self.preset]) if self.preset else {}
        given = {
            field: getattr(self, field)
            for field in self.__struct_fields__
            if field not in ("kind", "preset") and getattr(self, field) is not None
        }
        values: dict[str, object] = {"label": name, **preset, **given}
        if not self.issuer or not self.issuer.startswith(("https://", "http://")):
            raise ValueError(f"{where}: issuer must be the upstream's http(s) URL")
        if not self.client_id:
            raise ValueError(f"{where}: client_id is required")
        method = self.token_endpoint_auth_method or (
            "private_key_jwt" if self.private_key_file else "client_secret_basic"
        )
        values["token_endpoint_auth_method"] = method
        if method == "private_key_jwt" and not self.private_key_file:
            raise ValueError(f"{where}: private_key_jwt needs private_key_file")
        if method != "private_key_jwt" and not self.client_secret:
            raise ValueError(f"{where}: {method} needs client_secret (or set private_key_file)")
        given_acr = values.get("acr_values") or ACR_LEVELS
        assert isinstance(given_acr, list | tuple)
        acr: tuple[str, ...] = tuple(str(value) for value in given_acr)
        unknown = [value for value in acr if value not in ACR_VALUES]
        if unknown or not acr:
            raise ValueError(f"{where}: acr_values must be among {', '.join(ACR_VALUES)}")
        values["acr_values"] = acr
        if values.get("acr_from_upstream") is False and len(acr) != 1:
            raise ValueError(f"{where}: with acr_from_upstream = false, serve exactly one level")
        scope = str(values.get("scope") or "openid")
        if "openid" not in scope.split():
            raise ValueError(f"{where}: scope must include openid")
        tenants = tuple(tenant.lower() for tenant in self.allowed_tenants or ())
        if any(not TENANT_ID.fullmatch(tenant) for tenant in tenants):
            raise ValueError(f"{where}: allowed_tenants must be tenant ids (GUIDs)")
        if tenants and not values.get("multi_tenant"):
            raise ValueError(f"{where}: allowed_tenants needs multi_tenant (preset entraid)")
        values["allowed_tenants"] = tenants
        if not 0.1 <= self.timeout_seconds <= 60:
            raise ValueError(f"{where}: timeout_seconds must be between 0.1 and 60")
        if not 4096 <= self.max_response_bytes <= 8 * 1024 * 1024:
            raise ValueError(f"{where}: max_response_bytes must be between 4096 and 8 MiB")
        if self.max_groups < TOKEN_GROUPS:
            raise ValueError(f"{where}: max_groups must be at least {TOKEN_GROUPS}")
        values.update(name=name, kind="oidc", preset=self.preset)
        return msgspec.convert(values, EidConfig, strict=False)


DEFAULT_EIDS: Final = {"testid": EidSettings(kind="testid")}
"""No `[eids]` table: TestID alone, as before eIDs were configurable."""


def resolve_eids(eids: dict[str, EidSettings]) -> tuple[EidConfig, ...]:
    """Every configured eID, in the order of the settings file (the selector's order)."""
    return tuple(settings.resolve(name) for name, settings in (eids or DEFAULT_EIDS).items())


def offered_acr_values(eids: tuple[EidConfig, ...], restrict: list[str] | None) -> tuple[str, ...]:
    """The levels the enabled eIDs serve, in the vocabulary's order; `restrict`
    (`acr_values_supported`) narrows them when set."""
    served = {value for eid in eids for value in eid.acr_values}
    return tuple(
        value for value in ACR_VALUES if value in served and (restrict is None or value in restrict)
    )
