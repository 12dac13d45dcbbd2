"""The admin application as an ordinary client of the provider, through Authlib's
OAuth 2 client: discovery, a pushed authorization request (PAR) with PKCE (S256) and
the RAR for the administration resource, the code exchange, and the id_token checked
against the provider's published keys.

The administrator's organisations are read from the *signed* id_token's
`authorization_details`, never from the unsigned token response.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey

from employer_rules.admin.admin_token import administrator_of
from employer_rules.admin.client_assertion import client_assertion, load_private_key
from employer_rules.settings import Settings
from employer_rules.store.session_store import Administrator, PendingLogin

ID_TOKEN_ALGORITHMS = ["RS256", "ES256"]
METADATA_SECONDS = 300.0


class ProviderUnavailable(Exception):
    """The provider did not answer as it should (down, slow, or a malformed answer)."""


class LoginRefused(Exception):
    """The provider sent the administrator back with an error (e.g. `access_denied`
    when Altinn gives them the administration resource for no organisation)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class BadCallback(Exception):
    """The callback does not belong to the login this browser started, or its token
    fails a check; the message says which (never a token)."""


class ProviderClient:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.provider = settings.provider
        self._key: RSAKey | ECKey | None = None
        if self.provider.private_key_file is not None:
            self._key = load_private_key(
                self.provider.private_key_file, self.provider.private_key_id
            )
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None

    # what the provider publishes

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None or time.monotonic() - self._metadata_at > METADATA_SECONDS:
            found = await self._get_json(f"{self.provider.issuer}/.well-known/openid-configuration")
            needed = ("pushed_authorization_request_endpoint", "token_endpoint", "jwks_uri")
            if found.get("issuer") != self.provider.issuer or not all(
                isinstance(found.get(name), str) for name in needed
            ):
                raise ProviderUnavailable("the discovery document is not the issuer's")
            self._metadata, self._metadata_at = found, time.monotonic()
        return self._metadata

    async def _signing_keys(self, kid: str | None) -> KeySet:
        known = self._keys is not None and any(key.kid == kid for key in self._keys.keys)
        if self._keys is None or (kid is not None and not known):
            try:
                self._keys = KeySet.import_key_set(
                    await self._get_json((await self.metadata())["jwks_uri"])  # type: ignore[arg-type]
                )
            except (ValueError, TypeError) as exc:
                raise ProviderUnavailable("the provider's keys cannot be read") from exc
        return self._keys

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self.provider.timeout_seconds) as http:
                answer = await http.get(url)
                answer.raise_for_status()
                found = answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ProviderUnavailable(f"{url}: {type(exc).__name__}") from exc
        if not isinstance(found, dict):
            raise ProviderUnavailable(f"{url}: not a JSON object")
        return found

    # the login

    def authorization_details(self) -> list[dict[str, Any]]:
        return [
            {
                "type": "ansattporten:altinn:resource",
                "resource": self.provider.admin_resource,
                "allow_multiple_organizations": True,
                "representation_is_required": True,
            }
        ]

    def _oauth_client(self) -> AsyncOAuth2Client:
        secret = self.provider.client_secret
        return AsyncOAuth2Client(
            client_id=self.provider.client_id,
            client_secret=secret,
            token_endpoint_auth_method="client_secret_basic" if secret else "none",
            redirect_uri=self.settings.redirect_uri,
            timeout=self.provider.timeout_seconds,
        )

    def _assertion(self) -> dict[str, str]:
        if self._key is None:
            return {}
        return client_assertion(self._key, self.provider.client_id, self.provider.issuer)

    async def start_login(self, locale: str) -> tuple[str, PendingLogin]:
        """Push the request; returns the URL to send the browser to and what to keep."""
        pending = PendingLogin(
            state=generate_token(32),
            nonce=generate_token(32),
            code_verifier=generate_token(64),
            locale=locale,
        )
        metadata = await self.metadata()
        params = {
            "response_type": "code",
            "client_id": self.provider.client_id,
            "redirect_uri": self.settings.redirect_uri,
            "scope": self.provider.scope,
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": create_s256_code_challenge(pending.code_verifier),
            "code_challenge_method": "S256",
            "acr_values": self.provider.acr_values,
            "ui_locales": locale,
            "authorization_details": json.dumps(self.authorization_details()),
            **self._assertion(),
        }
        secret = self.provider.client_secret
        try:
            async with self._oauth_client() as client:
                answer = await client.post(
                    metadata["pushed_authorization_request_endpoint"],
                    data=params,
                    auth=(self.provider.client_id, secret) if secret else None,
                )
            answer.raise_for_status()
            request_uri = answer.json()["request_uri"]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise ProviderUnavailable(f"PAR: {type(exc).__name__}") from exc
        query = httpx.QueryParams(
            {"client_id": self.provider.client_id, "request_uri": request_uri}
        )
        return f"{metadata['authorization_endpoint']}?{query}", pending

    async def finish_login(self, pending: PendingLogin, query: dict[str, str]) -> Administrator:
        """Check the callback, redeem the code, check the id_token; returns who logged
        in and the organisations they may administer."""
        metadata = await self.metadata()
        if query.get("state") != pending.state:
            raise BadCallback("state does not match this browser's login")
        if query.get("iss", self.provider.issuer) != self.provider.issuer or (
            metadata.get("authorization_response_iss_parameter_supported") and "iss" not in query
        ):
            raise BadCallback("the answer names another issuer (RFC 9207)")
        if "error" in query:
            raise LoginRefused(query["error"][:64])
        if not query.get("code"):
            raise BadCallback("the callback carries no code")
        try:
            async with self._oauth_client() as client:
                token = await client.fetch_token(
                    metadata["token_endpoint"],
                    grant_type="authorization_code",
                    code=query["code"],
                    code_verifier=pending.code_verifier,
                    **self._assertion(),
                )
            id_token = str(token["id_token"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise ProviderUnavailable(f"token: {type(exc).__name__}") from exc
        except Exception as exc:  # Authlib's OAuthError for an error answer at /token
            raise BadCallback(f"the code was refused: {type(exc).__name__}") from exc
        claims = await self._check_id_token(id_token, pending.nonce)
        return administrator_of(claims, self.provider.admin_resource)

    async def _check_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        try:
            kid = jws.extract_compact(id_token.encode("ascii")).protected.get("kid")
            keys = await self._signing_keys(kid)
            decoded = jwt.decode(id_token, keys, algorithms=ID_TOKEN_ALGORITHMS)
            jwt.JWTClaimsRegistry(
                leeway=30,
                iss={"essential": True, "value": self.provider.issuer},
                aud={"essential": True, "value": self.provider.client_id},
                nonce={"essential": True, "value": nonce},
                sub={"essential": True},
                exp={"essential": True},
            ).validate(decoded.claims)
        except (JoseError, ValueError, UnicodeError) as exc:
            raise BadCallback(f"the id_token was refused: {type(exc).__name__}") from exc
        return dict(decoded.claims)

    async def end_session_url(self) -> str | None:
        """Where to send the browser to log out at the provider too (None if it has no
        end-session endpoint). No `id_token_hint`: it would put the administrator's
        identity number into a URL, and the provider has no session to end anyway;
        with the client_id it sends the browser back to `/logged-out`."""
        try:
            endpoint = (await self.metadata()).get("end_session_endpoint")
        except ProviderUnavailable:
            return None
        if not isinstance(endpoint, str):
            return None
        query = httpx.QueryParams(
            {
                "post_logout_redirect_uri": self.settings.post_logout_redirect_uri,
                "client_id": self.provider.client_id,
            }
        )
        return f"{endpoint}?{query}"
