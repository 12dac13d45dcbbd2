"""The id_token of the mock Entra ID, as the v2.0 endpoint issues it.

Sources: Microsoft's `id-token-claims-reference.md` and `access-token-claims-reference.md`
(MicrosoftDocs/entra-docs) and `optional-claims.md`:
- always: `iss` (`https://<host>/<tid>/v2.0`), `aud` (the application's client id),
  `iat`, `nbf`, `exp`, `sub` (pairwise per application), `tid`, `ver` "2.0", `uti`,
  `nonce` when the request had one, `sid`;
- with scope `profile`: `oid`, `name`, `preferred_username` (the UPN);
- `email` with scope `email` (or as an optional claim), when the user has one;
- `given_name`/`family_name` only as optional claims of the app registration;
- `xms_edov` (optional claim, with `email`): whether the address's domain is verified
  by the user's tenant; Microsoft's advice is to trust `email` for nothing without it;
- `groups` (object ids) when the app registration asks for group claims; over 200
  groups, the overage claim (`_claim_names`/`_claim_sources`) replaces them;
- `amr`: documented for v1.0 tokens only; Ansattporten's Entra page says it forwards
  the amr values it gets from Microsoft (`["pwd", "mfa"]` -> `entraid_pwd`,
  `entraid_mfa`), so the mock sends them unless the app registration says not to.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import Any, Final

import msgspec

from ansattporten.upstream_mocks.entra.fixture import Application, Tenant, User
from ansattporten.upstream_mocks.faults import Faults

ID_TOKEN_LIFETIME: Final = 3600
GROUPS_OVERAGE_LIMIT: Final = 200
"""Entra leaves `groups` out of a JWT for a user in more groups than this."""


class SignedIn(msgspec.Struct, frozen=True, kw_only=True):
    tid: str
    oid: str
    auth_time: int
    sid: str


def domain_is_verified(email: str, tenant: Tenant) -> bool:
    """Microsoft's `xms_edov`: the address's domain (or a parent of it) is one of the
    user's own tenant's verified domains (`optional-claims-reference.md`)."""
    domain = email.rsplit("@", 1)[-1].lower()
    return any(
        domain == owned.lower() or domain.endswith("." + owned.lower()) for owned in tenant.domains
    )


def pairwise_sub(client_id: str, tid: str, oid: str) -> str:
    """Unique per application and user, 43 characters like Entra's."""
    digest = hashlib.sha256(f"{client_id}\x00{tid}\x00{oid}".encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def id_token_claims(
    *,
    issuer: str,
    app: Application,
    tenant: Tenant,
    user: User,
    scopes: tuple[str, ...],
    nonce: str | None,
    signed_in: SignedIn,
    now: int,
    faults: Faults,
) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "aud": faults.id_token_audience or app.client_id,
        "iss": faults.id_token_issuer or issuer,
        "iat": now,
        "nbf": now,
        "exp": now - 1 if faults.id_token_expired else now + ID_TOKEN_LIFETIME,
        "sub": pairwise_sub(app.client_id, tenant.tenant_id, user.oid),
        "tid": tenant.tenant_id,
        "uti": base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode("ascii"),
        "ver": "2.0",
        "sid": signed_in.sid,
    }
    if faults.id_token_nonce is not None:
        claims["nonce"] = faults.id_token_nonce
    elif nonce is not None:
        claims["nonce"] = nonce
    if "profile" in scopes:
        claims.update(oid=user.oid, name=user.name, preferred_username=user.user_principal_name)
    if user.email and ("email" in scopes or "email" in app.optional_claims):
        claims["email"] = user.email
        if "xms_edov" in app.optional_claims:
            claims["xms_edov"] = domain_is_verified(user.email, tenant)
    for optional in ("given_name", "family_name"):
        if optional in app.optional_claims:
            claims[optional] = getattr(user, optional)
    if app.group_membership_claims != "None" and user.groups:
        if len(user.groups) > GROUPS_OVERAGE_LIMIT:
            claims["_claim_names"] = {"groups": "src1"}
            claims["_claim_sources"] = {
                "src1": {
                    "endpoint": "https://graph.microsoft.com/v1.0/users/"
                    f"{user.oid}/getMemberObjects"
                }
            }
        else:
            claims["groups"] = list(user.groups)
    if app.emit_amr:
        claims["amr"] = list(user.amr)
    return claims
