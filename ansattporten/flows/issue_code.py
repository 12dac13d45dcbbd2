"""The end of a login: a grant, a single-use code, and the browser sent back.

Grant, code, audit record and the transaction's final stage are written in one
database transaction, so a failure leaves nothing half-written, and a form posted twice
issues one code.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import msgspec

from ansattporten.eid.base import Authentication
from ansattporten.errors import OAuthError
from ansattporten.flows.authorization_request import AuthorizationRequest
from ansattporten.flows.client_response import respond, respond_with_error
from ansattporten.flows.context import Provider
from ansattporten.flows.results import Outcome, ShowPage, error_page
from ansattporten.spec.oidc_core import pairwise_sub
from ansattporten.store import AuditRecord, AuthorizationCode, Grant, Interaction

RETURN_DESCRIPTIONS = {
    "access_denied": "the person cancelled the login or may not complete it",
    "temporarily_unavailable": "an authoritative register did not answer in time",
}
"""`error_description` of a login that ends without a code (spec 7: always sent)."""


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def request_of(interaction: Interaction) -> AuthorizationRequest:
    return msgspec.convert(interaction.request, AuthorizationRequest)


async def issue_code(
    provider: Provider,
    interaction: Interaction,
    authentication: Authentication,
    auth_time: int,
    *,
    authorization_details: list[dict[str, Any]] | None,
    audit: AuditRecord | None = None,
    chosen_orgnos: list[str] | None = None,
) -> Outcome:
    request = request_of(interaction)
    now = provider.clock()
    sub = pairwise_sub(authentication.pid, request.client_id, provider.pairwise_secret)
    grant = Grant(
        id=secrets.token_urlsafe(16),
        client_id=request.client_id,
        sub=sub,
        authorization_details=authorization_details,
        created_at=now,
        expires_at=now + provider.settings.grant_lifetime,
        revoked_at=None,
    )
    code = secrets.token_urlsafe(32)
    claims: dict[str, Any] = {
        "sub": sub,
        "pid": authentication.pid,
        "acr": authentication.acr,
        "amr": list(authentication.amr),
        "auth_time": auth_time,
        "nonce": request.nonce,
        "scope": " ".join(request.scope),
        "locale": request.locale,
        "authorization_details": authorization_details,
    }
    grant.claims = {k: v for k, v in claims.items() if k not in ("nonce", "authorization_details")}
    if authorization_details is not None:
        # what a refresh needs to ask the registers again (settings.refresh_rechecks_sources)
        grant.claims["requested"] = request.authorization_details
        grant.claims["chosen"] = chosen_orgnos or []
    finished = await provider.store.finish_interaction(
        interaction.id,
        interaction.stage,
        grant=grant,
        code=AuthorizationCode(
            code_hash=code_hash(code),
            client_id=request.client_id,
            grant_id=grant.id,
            redirect_uri=request.redirect_uri,
            code_challenge=request.code_challenge,
            claims=claims,
            expires_at=now + provider.settings.code_lifetime,
            consumed_at=None,
        ),
        audit=audit,
    )
    if not finished:
        return error_page("error.transaction_finished", status=409, lang=request.locale)
    return respond(
        provider.issuer,
        request.redirect_uri,
        request.response_mode,
        {"code": code, "state": request.state},
        lang=request.locale,
    )


async def fail_login(
    provider: Provider,
    interaction: Interaction,
    error: OAuthError,
    message_key: str,
    *,
    audit: AuditRecord | None = None,
    status: int = 400,
    **message_args: Any,
) -> Outcome:
    """End the login without a code: the person sees why, with a way back to the service
    that tells it `error` (the client is trusted: its redirect_uri was verified). The
    page is kept with the transaction, so `/login/{id}/failed` can show it again (in
    another language, after a switch)."""
    shown = {"message_key": message_key, "status": status, "message_args": message_args}
    await provider.store.advance_interaction(
        interaction.id,
        interaction.stage,
        stage="failed",
        lookup={"error": error.error, "page": shown},
    )
    if audit is not None:
        await provider.store.save_audit(audit)
    return failure_page(interaction, message_key, status, message_args)


def failure_page(
    interaction: Interaction, message_key: str, status: int, message_args: dict[str, Any]
) -> ShowPage:
    return error_page(
        message_key,
        status=status,
        back_url=f"/login/{interaction.id}/return",
        lang=request_of(interaction).locale,
        language_next=f"/login/{interaction.id}/failed",
        **message_args,
    )


async def return_to_client(provider: Provider, interaction: Interaction) -> Outcome:
    """The "back to the service" link of a failed login: the client learns the error."""
    request = request_of(interaction)
    code = (interaction.lookup or {}).get("error", "access_denied")
    error = OAuthError(RETURN_DESCRIPTIONS.get(str(code), "the login was not completed"))
    error.error = str(code)
    return respond_with_error(
        provider.issuer,
        request.redirect_uri,
        error,
        state=request.state,
        response_mode=request.response_mode,
        lang=request.locale,
    )
