"""The authorization request as the mock Entra ID checks it
(`v2-oauth2-auth-code-flow.md`, "Request an authorization code").

An unknown tenant, application or redirect URI gets Entra's error page; everything
after that is answered at the redirect URI with `error` and an AADSTS description, and
no `iss` (Entra does not send one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ansattporten.upstream_mocks.entra import errors
from ansattporten.upstream_mocks.entra.discovery import MULTI_TENANT
from ansattporten.upstream_mocks.entra.fixture import EntraFixture
from ansattporten.upstream_mocks.entra.state import SignInRequest
from ansattporten.upstream_mocks.pkce import S256_CHALLENGE, VERIFIER

KNOWN_SCOPES = ("openid", "profile", "email", "offline_access", "User.Read")


@dataclass(frozen=True, slots=True)
class Refused:
    error: str
    code: int
    message: str
    redirect_uri: str | None = None
    """None: show Entra's error page, never redirect to an unverified URI."""
    state: str | None = None
    response_mode: str = "query"


def _missing(name: str) -> str:
    return f"The request body must contain the following parameter: '{name}'."


def parse(
    path_tenant: str, params: Mapping[str, str], fixture: EntraFixture
) -> SignInRequest | Refused:
    tenant_id: str | None = None
    if path_tenant.lower() not in MULTI_TENANT:
        tenant = fixture.tenant(path_tenant)
        if tenant is None:
            message = f"Tenant '{path_tenant}' not found. Check the tenant ID."
            return Refused("invalid_tenant", errors.TENANT_NOT_FOUND, message)
        tenant_id = tenant.tenant_id
    client_id = params.get("client_id", "")
    app = fixture.application(client_id)
    if app is None:
        message = f"Application with identifier '{client_id}' was not found in the directory."
        return Refused("unauthorized_client", errors.APP_NOT_FOUND, message)
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in app.redirect_uris:
        message = (
            f"The redirect URI '{redirect_uri}' specified in the request does not match the "
            f"redirect URIs configured for the application '{client_id}'."
        )
        return Refused("invalid_request", errors.REDIRECT_MISMATCH, message)
    state = params.get("state")
    mode = params.get("response_mode", "query")

    def refuse(error: str, code: int, message: str) -> Refused:
        return Refused(error, code, message, redirect_uri, state, mode)

    if mode not in ("query", "form_post"):
        mode = "query"
        return refuse("invalid_request", errors.BAD_REQUEST, "response_mode is not supported.")
    response_type = params.get("response_type")
    if not response_type:
        return refuse("invalid_request", errors.MISSING_PARAMETER, _missing("response_type"))
    if response_type != "code":
        message = f"response_type '{response_type}' is not enabled for the application."
        return refuse("unsupported_response_type", errors.UNSUPPORTED_RESPONSE_TYPE, message)
    scopes = tuple(params.get("scope", "").split())
    if not scopes:
        return refuse("invalid_request", errors.MISSING_PARAMETER, _missing("scope"))
    unknown = [s for s in scopes if s not in KNOWN_SCOPES]
    if unknown:
        message = f"The provided value for the input parameter 'scope' is not valid: {unknown[0]}"
        return refuse("invalid_scope", errors.INVALID_SCOPE, message)
    challenge = params.get("code_challenge")
    method = params.get("code_challenge_method", "plain")
    if challenge is not None:
        shape = S256_CHALLENGE if method == "S256" else VERIFIER
        if method not in ("S256", "plain") or not shape.fullmatch(challenge):
            message = "The code_challenge or code_challenge_method is not valid."
            return refuse("invalid_request", errors.BAD_REQUEST, message)
    elif "code_challenge_method" in params:
        return refuse("invalid_request", errors.MISSING_PARAMETER, _missing("code_challenge"))
    prompt = params.get("prompt")
    if prompt == "none":
        message = "A silent sign-in request was sent but no user is signed in."
        return refuse("login_required", errors.SILENT_NO_USER, message)
    return SignInRequest(
        path_tenant=path_tenant,
        tenant_id=tenant_id,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=state,
        nonce=params.get("nonce"),
        response_mode=mode,
        code_challenge=challenge,
        code_challenge_method=method,
        prompt=prompt,
        ui_locales=params.get("ui_locales"),
    )
