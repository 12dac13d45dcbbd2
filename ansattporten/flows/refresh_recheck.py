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
from ansattporten.rar import RegisterRefused, RegisterUnavailable
from ansattporten.records import Authentication, Grant


async def recheck_details(provider: Provider, grant: Grant) -> list[dict[str, Any]] | None:
    if grant.choice is None:
        return grant.authorization_details
    claims = grant.claims
    representation = provider.representation
    authentication = Authentication(
        person=claims.person, eid="", acr=claims.acr, amr=claims.amr, auth_time=claims.auth_time
    )
    requested = grant.choice.requested
    try:
        subject = representation.subject(authentication, grant.client_id, claims.locale)
        offer = await representation.lookup(subject, requested)
        granted = await representation.grant(subject, requested, offer, grant.choice.chosen)
    except RegisterRefused as refusal:
        await provider.store.revoke_grant(grant.id, provider.clock())
        raise InvalidGrant("the registers no longer confirm what was granted") from refusal
    except RegisterUnavailable as failure:
        raise TemporarilyUnavailable("an authoritative register did not answer") from failure
    return granted.details
