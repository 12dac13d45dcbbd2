"""The authorization request the provider sends upstream (RFC 6749 4.1.1 with OpenID
Connect's parameters): PKCE S256 (RFC 7636), a `state` bound to this login, a `nonce`,
the person's language (`ui_locales`) and the levels the service asked for. Pushed (RFC
9126) where the upstream offers PAR, so the parameters never pass through the browser;
otherwise in the redirect's query.

The state is `<login id>.<32 random bytes>`: the callback finds the login by the first
part, and the login keeps only the hash of the whole, which it gives up once.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

import msgspec

from ansattporten.eid.upstream.client_auth import ClientCredentials
from ansattporten.eid.upstream.errors import UpstreamUnavailable
from ansattporten.eid.upstream.http import UpstreamHttp
from ansattporten.eid.upstream.metadata import ProviderMetadata
from ansattporten.settings_eids import EidConfig

STATE_SEPARATOR: Final = "."


class PushedAnswer(msgspec.Struct, frozen=True):
    """RFC 9126 2.2."""

    request_uri: str
    expires_in: int


_PUSHED: Final = msgspec.json.Decoder(PushedAnswer)


@dataclass(frozen=True, slots=True)
class Secrets:
    """What one leg keeps to check the answer; `state` goes to the browser."""

    state: str
    nonce: str
    code_verifier: str

    @classmethod
    def new(cls, login_id: str) -> Secrets:
        return cls(
            state=f"{login_id}{STATE_SEPARATOR}{secrets.token_urlsafe(32)}",
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(48),
        )

    @property
    def code_challenge(self) -> str:
        digest = hashlib.sha256(self.code_verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def login_id_of_state(state: str) -> str | None:
    """The login a state names, or None for something this provider never sent."""
    login_id, separator, random = state.partition(STATE_SEPARATOR)
    return login_id if separator and login_id and len(random) >= 43 else None


def authorization_parameters(
    config: EidConfig,
    leg_secrets: Secrets,
    *,
    redirect_uri: str,
    acr_values: tuple[str, ...],
    locale: str,
) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": redirect_uri,
        "scope": config.scope,
        "state": leg_secrets.state,
        "nonce": leg_secrets.nonce,
        "code_challenge": leg_secrets.code_challenge,
        "code_challenge_method": "S256",
        "ui_locales": locale,
    }
    if config.pass_acr_values and acr_values:
        params["acr_values"] = " ".join(acr_values)
    if config.prompt_login:
        params["prompt"] = "login"
    return params


class ErrorAnswer(msgspec.Struct, frozen=True):
    error: str = "no error code"


def oauth_error(body: bytes) -> str:
    """The OAuth error code of an error answer, for the log (never its description,
    which may say anything)."""
    try:
        error = msgspec.json.decode(body, type=ErrorAnswer).error
    except msgspec.DecodeError:
        return "not an OAuth error"
    return error[:40] if error.replace("_", "").isalnum() else "an unreadable error"


def uses_par(config: EidConfig, metadata: ProviderMetadata) -> bool:
    if config.use_par == "never":
        return False
    if config.use_par == "always" and metadata.pushed_authorization_request_endpoint is None:
        raise UpstreamUnavailable(f"eID {config.name!r}: use_par = always, but no PAR endpoint")
    return metadata.pushed_authorization_request_endpoint is not None


async def authorization_url(
    config: EidConfig,
    metadata: ProviderMetadata,
    http: UpstreamHttp,
    credentials: ClientCredentials,
    params: dict[str, str],
) -> str:
    """Where to send the browser: the pushed request's `request_uri`, or the request
    itself in the query of the authorization endpoint."""
    endpoint = metadata.authorization_endpoint
    joiner = "&" if "?" in endpoint else "?"
    if not uses_par(config, metadata):
        return endpoint + joiner + urlencode(params)
    par = metadata.pushed_authorization_request_endpoint
    assert par is not None
    form, basic = credentials.apply(params, metadata, par)
    status, body = await http.post_form(par, form, basic)
    if status not in (200, 201):
        raise UpstreamUnavailable(f"{http.label}: PAR answered HTTP {status} ({oauth_error(body)})")
    try:
        pushed = _PUSHED.decode(body)
    except msgspec.DecodeError as exc:
        raise UpstreamUnavailable(f"{http.label}: PAR answer is malformed: {exc}") from exc
    query = {"client_id": config.client_id, "request_uri": pushed.request_uri}
    return endpoint + joiner + urlencode(query)
