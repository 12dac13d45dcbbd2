"""Re-asking the registers on refresh (`settings.refresh_rechecks_sources`).

A refresh normally repeats the `authorization_details` granted at login. With the
setting on, the same request is looked up again for the same person and the same
chosen organisations: a right withdrawn in the register since the login ends the grant
instead of living on in refreshed access tokens.
"""

from __future__ import annotations

from typing import Any

from ansattporten.errors import InvalidGrant, TemporarilyUnavailable
from ansattporten.flows.context import Provider
from ansattporten.rar import RegisterUnavailable
from ansattporten.store import Grant
from authz_sources import NotEligible, Subject


async def recheck_details(provider: Provider, grant: Grant) -> list[dict[str, Any]] | None:
    claims = grant.claims or {}
    requested_raw = claims.get("requested")
    if not requested_raw:
        return grant.authorization_details
    representation = provider.representation
    requested = representation.validate(requested_raw)
    subject = Subject(
        pid=claims["pid"],
        client_id=grant.client_id,
        locale=claims.get("locale") or "nb",
        acr=claims.get("acr") or "",
    )
    try:
        lookup = await representation.lookup(subject, requested)
        details, _, _ = await representation.grant(
            subject, requested, lookup, claims.get("chosen", [])
        )
    except NotEligible as refusal:
        await provider.store.revoke_grant(grant.id, provider.clock())
        raise InvalidGrant("the registers no longer confirm what was granted") from refusal
    except RegisterUnavailable as failure:
        raise TemporarilyUnavailable("an authoritative register did not answer") from failure
    return details
