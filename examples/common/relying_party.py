"""A small OpenID Connect relying party built on Authlib's client, the way a service
would talk to the real Ansattporten: discovery, PAR with PKCE and RAR, the code
exchange, and id_token validation against the published JWKS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import KeySet


@dataclass(frozen=True, slots=True)
class PendingLogin:
    """What the service remembers between sending the person away and the callback."""

    state: str
    nonce: str
    code_verifier: str


class LoginFailed(ValueError):
    """The provider sent the person back with an error instead of a code (RFC 6749
    4.1.2.1), e.g. `access_denied` when a register refused or the person cancelled."""

    def __init__(self, error: str, description: str | None) -> None:
        super().__init__(f"login failed: {error}" + (f" ({description})" if description else ""))
        self.error = error
        self.description = description


class RelyingParty:
    def __init__(
        self, *, issuer: str, client_id: str, client_secret: str | None, redirect_uri: str
    ) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self._metadata: dict[str, Any] | None = None
        self._jwks: KeySet | None = None

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            async with httpx.AsyncClient(timeout=10) as http:
                response = await http.get(f"{self.issuer}/.well-known/openid-configuration")
                response.raise_for_status()
                self._metadata = response.json()
        return self._metadata

    async def jwks(self) -> KeySet:
        if self._jwks is None:
            async with httpx.AsyncClient(timeout=10) as http:
                response = await http.get((await self.metadata())["jwks_uri"])
                response.raise_for_status()
                self._jwks = KeySet.import_key_set(response.json())
        return self._jwks

    def _oauth_client(self) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method="client_secret_basic" if self.client_secret else "none",
            redirect_uri=self.redirect_uri,
            timeout=10,
        )

    async def start_login(
        self,
        authorization_details: list[dict[str, Any]] | None,
        *,
        acr: str | None = None,
        ui_locales: str = "nb",
    ) -> tuple[str, PendingLogin]:
        """Push the request (PAR) and return the URL to send the browser to. `ui_locales`:
        the language the service's own pages are in, so the login continues in it."""
        pending = PendingLogin(generate_token(32), generate_token(32), generate_token(64))
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid profile",
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": create_s256_code_challenge(pending.code_verifier),
            "code_challenge_method": "S256",
            "ui_locales": ui_locales,
        }
        if acr:
            params["acr_values"] = acr
        if authorization_details:
            params["authorization_details"] = json.dumps(authorization_details)
        metadata = await self.metadata()
        async with self._oauth_client() as client:
            response = await client.post(
                metadata["pushed_authorization_request_endpoint"],
                data=params,
                auth=(self.client_id, self.client_secret) if self.client_secret else None,
            )
        response.raise_for_status()
        request_uri = response.json()["request_uri"]
        url = (
            f"{metadata['authorization_endpoint']}?client_id={self.client_id}"
            f"&request_uri={request_uri}"
        )
        return url, pending

    async def finish_login(
        self, pending: PendingLogin, query: dict[str, str]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Check the callback (state, iss), exchange the code, validate the id_token.
        Returns (token response, id_token claims)."""
        if query.get("state") != pending.state:
            raise ValueError("state does not match")
        if query.get("iss") != self.issuer:
            raise ValueError("the response did not come from the expected issuer")
        if "error" in query:
            raise LoginFailed(query["error"], query.get("error_description"))
        metadata = await self.metadata()
        async with self._oauth_client() as client:
            token = await client.fetch_token(
                metadata["token_endpoint"],
                grant_type="authorization_code",
                code=query["code"],
                code_verifier=pending.code_verifier,
            )
        decoded = jwt.decode(token["id_token"], await self.jwks(), algorithms=["RS256", "ES256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.client_id},
            nonce={"essential": True, "value": pending.nonce},
            exp={"essential": True},
        ).validate(decoded.claims)
        return dict(token), dict(decoded.claims)

    async def logout_url(self, id_token: str, post_logout_redirect_uri: str, state: str) -> str:
        """Where to send the browser to log out (RP-initiated logout): the provider ends
        this service's session and comes back to `post_logout_redirect_uri`."""
        endpoint = (await self.metadata())["end_session_endpoint"]
        query = urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": post_logout_redirect_uri,
                "state": state,
            }
        )
        return f"{endpoint}?{query}"
