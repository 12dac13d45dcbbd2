"""The mock ID-porten's back channel: discovery, JWKS, PAR, token and userinfo.

PAR and the token endpoint authenticate the client with the method it registered
(`oidc_protocol_token.md`): a secret (Basic or in the body), a `private_key_jwt`
assertion whose `aud` is the issuer, signed by a key in the client's registered JWKS,
or none for a public client. Faults (`mock.faults`) apply here: a delay, or 503.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler

from ansattporten.upstream_mocks.client_auth import (
    ClientAuthError,
    check_secret,
    read_credentials,
    verify_assertion,
)
from ansattporten.upstream_mocks.idporten.authorization_request import RequestRefused, parse
from ansattporten.upstream_mocks.idporten.claims import id_token_claims, userinfo_claims
from ansattporten.upstream_mocks.idporten.discovery import discovery_document
from ansattporten.upstream_mocks.idporten.fixture import RegisteredClient
from ansattporten.upstream_mocks.idporten.state import (
    ACCESS_TOKEN_TTL,
    PUSHED_REQUEST_TTL,
    IssuedAccessToken,
    MockIdPortenState,
)
from ansattporten.upstream_mocks.memory import Full, random_handle
from ansattporten.upstream_mocks.pages import first_values
from ansattporten.upstream_mocks.pkce import verifier_matches
from ansattporten.upstream_mocks.responses import json_response, oauth_error, unavailable_json

AnyRequest = Request[Any, Any, Any]
ASSERTION_ALGORITHMS = ("RS256", "RS384", "RS512")


def backchannel_routes(mock: MockIdPortenState) -> list[HTTPRouteHandler]:
    async def misbehaving() -> Response[bytes] | None:
        faults = mock.faults
        if faults.delay_seconds > 0:
            await anyio.sleep(faults.delay_seconds)
        return unavailable_json() if faults.unavailable else None

    @get("/.well-known/openid-configuration")
    async def discovery() -> Response[bytes]:
        return await misbehaving() or json_response(discovery_document(mock.issuer))

    @get("/jwks.json")
    async def jwks() -> Response[bytes]:
        return await misbehaving() or json_response(mock.keys.jwks())

    @post("/par")
    async def par(request: AnyRequest) -> Response[bytes]:
        if (fault := await misbehaving()) is not None:
            return fault
        called = await authenticated_form(mock, request)
        if isinstance(called, Response):
            return called
        form, client = called
        if "request_uri" in form:
            return oauth_error("invalid_request", "request_uri is not allowed at /par")
        parsed = parse({**form, "client_id": client.client_id}, mock.fixture)
        if isinstance(parsed, RequestRefused):
            return oauth_error(parsed.error, parsed.description)
        request_uri = f"urn:idporten:{random_handle()}"
        try:
            mock.pushed.put(request_uri, parsed, PUSHED_REQUEST_TTL)
        except Full:
            return unavailable_json()
        body = {"request_uri": request_uri, "expires_in": PUSHED_REQUEST_TTL}
        return json_response(body, 201)

    @post("/token")
    async def token(request: AnyRequest) -> Response[bytes]:
        if (fault := await misbehaving()) is not None:
            return fault
        called = await authenticated_form(mock, request)
        if isinstance(called, Response):
            return called
        form, client = called
        if form.get("grant_type") != "authorization_code":
            return oauth_error("unsupported_grant_type", "only authorization_code")
        issued = mock.codes.take(form.get("code", ""))
        if issued is None or issued.client_id != client.client_id:
            return oauth_error("invalid_grant", "the code is unknown, expired or used")
        if form.get("redirect_uri") != issued.redirect_uri:
            return oauth_error("invalid_grant", "redirect_uri differs from the authorization")
        if not verifier_matches(form.get("code_verifier", ""), issued.code_challenge):
            return oauth_error("invalid_grant", "code_verifier does not match code_challenge")
        now = int(time.time())
        claims = id_token_claims(
            issuer=mock.issuer,
            client_id=client.client_id,
            scopes=issued.scopes,
            nonce=issued.nonce,
            with_sid=client.frontchannel_logout_session_required,
            who=issued.who,
            now=now,
            faults=mock.faults,
        )
        if mock.faults.sign_with_unpublished_key:
            id_token = mock.keys.sign_unpublished(claims)
        else:
            id_token = mock.keys.sign(claims)
        access_token = random_handle()
        grant = IssuedAccessToken(client_id=client.client_id, scopes=issued.scopes, who=issued.who)
        try:
            mock.access_tokens.put(access_token, grant, ACCESS_TOKEN_TTL)
        except Full:
            return unavailable_json()
        return json_response(
            {
                "access_token": access_token,
                "id_token": id_token,
                "token_type": "Bearer",
                "expires_in": ACCESS_TOKEN_TTL,
                "scope": " ".join(issued.scopes),
            }
        )

    @get("/userinfo")
    async def userinfo(request: AnyRequest) -> Response[bytes]:
        if (fault := await misbehaving()) is not None:
            return fault
        header = request.headers.get("authorization", "")
        grant = mock.access_tokens.get(header[7:]) if header[:7].lower() == "bearer " else None
        if grant is None:
            response = oauth_error("invalid_token", "the access token is not valid", 401)
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        return json_response(
            userinfo_claims(
                issuer=mock.issuer, client_id=grant.client_id, scopes=grant.scopes, who=grant.who
            )
        )

    return [discovery, jwks, par, token, userinfo]


async def authenticated_form(
    mock: MockIdPortenState, request: AnyRequest
) -> tuple[dict[str, str], RegisteredClient] | Response[bytes]:
    """The form of a PAR or token request and the client it authenticates as."""
    form, repeated = first_values((await request.form()).multi_items())
    if repeated:
        return oauth_error("invalid_request", f"{repeated} is repeated")
    try:
        client = authenticate_client(mock, form, request.headers.get("authorization"))
    except ClientAuthError as exc:
        return oauth_error(exc.error, exc.description, exc.status_code)
    return form, client


def authenticate_client(
    mock: MockIdPortenState, form: dict[str, str], authorization: str | None
) -> RegisteredClient:
    """The registered client behind this request, authenticated its registered way."""
    credentials = read_credentials(form, authorization)
    client = mock.fixture.client(credentials.client_id)
    if client is None:
        raise ClientAuthError("invalid_client", "client authentication failed")
    if credentials.method != client.token_endpoint_auth_method:
        raise ClientAuthError(
            "invalid_client", f"the client is registered for {client.token_endpoint_auth_method}"
        )
    if credentials.method in ("client_secret_basic", "client_secret_post"):
        check_secret(client.client_secret, credentials.secret)
    elif credentials.method == "private_key_jwt":
        verify_assertion(
            credentials,
            jwks=client.jwks,
            audiences=[mock.issuer],
            algorithms=ASSERTION_ALGORITHMS,
            seen=mock.seen_assertions,
        )
    return client
