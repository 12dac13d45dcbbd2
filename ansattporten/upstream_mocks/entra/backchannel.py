"""The mock Entra ID's back channel: discovery, keys and the token endpoint.

Client authentication as Entra does it for a confidential web app: a client secret
(in the body or Basic) or a certificate credential, i.e. a `private_key_jwt` assertion
whose `aud` is the token endpoint URL (`certificate-credentials.md`), signed RS256 or
PS256 by a key registered for the application. PKCE is checked when the authorization
request carried a challenge (Entra allows `plain` and `S256`).
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import anyio
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from ansattporten.upstream_mocks.client_auth import (
    ClientAuthError,
    check_secret,
    read_credentials,
    verify_assertion,
)
from ansattporten.upstream_mocks.entra import errors
from ansattporten.upstream_mocks.entra.claims import id_token_claims
from ansattporten.upstream_mocks.entra.discovery import (
    MULTI_TENANT,
    discovery_document,
    issuer_of,
)
from ansattporten.upstream_mocks.entra.fixture import Application
from ansattporten.upstream_mocks.entra.state import ACCESS_TOKEN_TTL, CODE_TTL, MockEntraState
from ansattporten.upstream_mocks.memory import Full, random_handle
from ansattporten.upstream_mocks.pages import first_values
from ansattporten.upstream_mocks.pkce import verifier_matches
from ansattporten.upstream_mocks.responses import json_response, unavailable_json

AnyRequest = Request[Any, Any, Any]
ASSERTION_ALGORITHMS = ("RS256", "PS256")


def backchannel_routes(mock: MockEntraState) -> list[HTTPRouteHandler]:
    async def misbehaving() -> Response[bytes] | None:
        if mock.faults.delay_seconds > 0:
            await anyio.sleep(mock.faults.delay_seconds)
        return unavailable_json() if mock.faults.unavailable else None

    def tenant_id_of(path_tenant: str) -> str | Response[bytes] | None:
        """None for common/organizations, the tenant's id, or the error to send."""
        if path_tenant.lower() in MULTI_TENANT:
            return None
        tenant = mock.fixture.tenant(path_tenant)
        if tenant is None:
            message = f"Tenant '{path_tenant}' not found. Check the tenant ID."
            return errors.token_error("invalid_tenant", errors.TENANT_NOT_FOUND, message)
        return tenant.tenant_id

    @get("/{tenant:str}/v2.0/.well-known/openid-configuration")
    async def discovery(tenant: FromPath[str]) -> Response[bytes]:
        if (fault := await misbehaving()) is not None:
            return fault
        tenant_id = tenant_id_of(tenant)
        if isinstance(tenant_id, Response):
            return tenant_id
        return json_response(discovery_document(mock.base_url, tenant, tenant_id))

    @get("/{tenant:str}/discovery/v2.0/keys")
    async def keys(tenant: FromPath[str]) -> Response[bytes]:
        if (fault := await misbehaving()) is not None:
            return fault
        tenant_id = tenant_id_of(tenant)
        if isinstance(tenant_id, Response):
            return tenant_id
        return json_response(
            mock.keys.jwks(issuer=issuer_of(mock.base_url, tenant_id or "{tenantid}"))
        )

    @post("/{tenant:str}/oauth2/v2.0/token")
    async def token(request: AnyRequest, tenant: FromPath[str]) -> Response[bytes]:
        if (fault := await misbehaving()) is not None:
            return fault
        tenant_id = tenant_id_of(tenant)
        if isinstance(tenant_id, Response):
            return tenant_id
        form, repeated = first_values((await request.form()).multi_items())
        if repeated:
            return errors.token_error("invalid_request", errors.BAD_REQUEST, f"{repeated} twice")
        token_url = f"{mock.base_url}/{tenant}/oauth2/v2.0/token"
        app = authenticate(mock, form, request.headers.get("authorization"), token_url)
        if isinstance(app, Response):
            return app
        if form.get("grant_type") != "authorization_code":
            message = "The provided grant type is not supported."
            return errors.token_error("unsupported_grant_type", errors.UNSUPPORTED_GRANT, message)
        return redeem(mock, app, form, tenant_id)

    return [discovery, keys, token]


def authenticate(
    mock: MockEntraState, form: dict[str, str], authorization: str | None, token_url: str
) -> Application | Response[bytes]:
    try:
        credentials = read_credentials(form, authorization)
    except ClientAuthError as exc:
        return errors.token_error(exc.error, errors.BAD_REQUEST, exc.description, exc.status_code)
    app = mock.fixture.application(credentials.client_id)
    if app is None:
        message = f"Application with identifier '{credentials.client_id}' was not found."
        return errors.token_error("unauthorized_client", errors.APP_NOT_FOUND, message)
    try:
        if credentials.method == "none":
            message = (
                "The request body must contain the following parameter: "
                "'client_assertion' or 'client_secret'."
            )
            return errors.token_error("invalid_client", errors.NO_CLIENT_CREDENTIALS, message, 401)
        if credentials.method == "private_key_jwt":
            verify_assertion(
                credentials,
                jwks=app.jwks,
                audiences=[token_url],
                algorithms=ASSERTION_ALGORITHMS,
                seen=mock.seen_assertions,
            )
        elif not any(_secret_matches(secret, credentials.secret) for secret in app.client_secrets):
            message = f"Invalid client secret provided for app '{app.client_id}'."
            return errors.token_error("invalid_client", errors.BAD_CLIENT_SECRET, message, 401)
    except ClientAuthError as exc:
        code = errors.BAD_CLIENT_ASSERTION
        return errors.token_error(exc.error, code, exc.description, exc.status_code)
    return app


def redeem(
    mock: MockEntraState, app: Application, form: dict[str, str], path_tenant_id: str | None
) -> Response[bytes]:
    code = form.get("code", "")
    issued = mock.codes.take(code)
    if issued is None:
        if code in mock.redeemed:
            message = "The provided authorization code was already redeemed."
            return errors.token_error("invalid_grant", errors.CODE_REDEEMED, message)
        message = "The provided authorization code has expired or is not valid."
        return errors.token_error("invalid_grant", errors.CODE_EXPIRED, message)
    with contextlib.suppress(Full):
        mock.redeemed.put(code, True, CODE_TTL)
    request, signed_in = issued.request, issued.signed_in
    if request.client_id != app.client_id:
        message = "The provided value for the 'code' parameter is not valid for this client."
        return errors.token_error("invalid_grant", errors.BAD_GRANT_VALUE, message)
    if path_tenant_id is not None and path_tenant_id != signed_in.tid:
        message = "The authorization code was issued for another tenant."
        return errors.token_error("invalid_grant", errors.BAD_GRANT_VALUE, message)
    if form.get("redirect_uri") != request.redirect_uri:
        message = "The redirect_uri must exactly match the one used to obtain the code."
        return errors.token_error("invalid_grant", errors.BAD_GRANT_VALUE, message)
    if request.code_challenge is not None and not verifier_matches(
        form.get("code_verifier", ""), request.code_challenge, request.code_challenge_method
    ):
        message = "The code_verifier does not match the code_challenge of the request."
        return errors.token_error("invalid_grant", errors.PKCE_MISMATCH, message)
    tenant = mock.fixture.tenant(signed_in.tid)
    user = tenant.user(signed_in.oid) if tenant else None
    if tenant is None or user is None:
        message = "The user account no longer exists."
        return errors.token_error("invalid_grant", errors.BAD_GRANT_VALUE, message)
    body: dict[str, Any] = {
        "token_type": "Bearer",
        "scope": " ".join(request.scopes),
        "expires_in": ACCESS_TOKEN_TTL,
        "ext_expires_in": ACCESS_TOKEN_TTL,
        "access_token": random_handle(),
    }
    if "openid" in request.scopes:
        claims = id_token_claims(
            issuer=issuer_of(mock.base_url, tenant.tenant_id),
            app=app,
            tenant=tenant,
            user=user,
            scopes=request.scopes,
            nonce=request.nonce,
            signed_in=signed_in,
            now=int(time.time()),
            faults=mock.faults,
        )
        sign = (
            mock.keys.sign_unpublished if mock.faults.sign_with_unpublished_key else mock.keys.sign
        )
        body["id_token"] = sign(claims, typ="JWT")
    return json_response(body)


def _secret_matches(expected: str, given: str | None) -> bool:
    try:
        check_secret(expected, given)
    except ClientAuthError:
        return False
    return True
