"""`UpstreamEid`: an eID that is an upstream OpenID provider, behind two calls.

`begin` sends the person upstream (a new leg: fresh state, nonce and PKCE verifier);
`finish` takes the code the upstream sent back to the callback, redeems it once, checks
the id_token and returns the `Authentication`. The upstream's tokens go no further than
`finish`: the id_token is read and dropped, the access token is never used, nothing of
either is stored, logged or passed on.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from typing import Final

import httpx
import msgspec

from ansattporten.eid.upstream import claims as person_claims
from ansattporten.eid.upstream.authorization import (
    Secrets,
    authorization_parameters,
    authorization_url,
    oauth_error,
)
from ansattporten.eid.upstream.client_auth import ClientCredentials
from ansattporten.eid.upstream.errors import PersonNotAllowed, UpstreamRefused
from ansattporten.eid.upstream.http import UpstreamHttp
from ansattporten.eid.upstream.id_token import Expected, verify_id_token
from ansattporten.eid.upstream.keys import UpstreamKeys
from ansattporten.eid.upstream.metadata import MetadataCache
from ansattporten.records import Authentication, UpstreamLeg
from ansattporten.records.ids import hashed
from ansattporten.settings_eids import EidConfig
from ansattporten.vocabulary import lowest_per_family, satisfies

log = logging.getLogger("ansattporten.eid")
MAX_CODE_LENGTH: Final = 2048


class TokenAnswer(msgspec.Struct, frozen=True):
    """The part of the token response the broker reads (RFC 6749 5.1, OIDC Core 3.1.3.3)."""

    id_token: str
    token_type: str = "Bearer"


@dataclass(frozen=True, slots=True)
class Begun:
    """Where to send the browser, and the leg the login keeps."""

    url: str
    leg: UpstreamLeg


class UpstreamEid:
    """One configured upstream OpenID provider."""

    kind = "upstream"

    def __init__(
        self, config: EidConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self.name = config.name
        self.label = config.label
        self.acr_values = config.acr_values
        self._http = UpstreamHttp(config, transport)
        self._metadata = MetadataCache(config, self._http)
        self._keys = UpstreamKeys(config, self._http)
        self._credentials = ClientCredentials(config)

    def accepted(self, requested: tuple[str, ...]) -> tuple[str, ...]:
        """The levels this eID serves that meet the request; empty: it does not fit."""
        return tuple(value for value in self.acr_values if satisfies(value, requested))

    async def begin(
        self,
        *,
        login_id: str,
        requested_acr: tuple[str, ...],
        locale: str,
        redirect_uri: str,
        alone: bool,
        now: float,
    ) -> Begun:
        """Start a leg: raises UpstreamUnavailable when the upstream cannot be reached."""
        metadata = await self._metadata.get()
        accepted = self.accepted(requested_acr)
        leg_secrets = Secrets.new(login_id)
        params = authorization_parameters(
            self.config,
            leg_secrets,
            redirect_uri=redirect_uri,
            acr_values=lowest_per_family(accepted),
            locale=locale,
        )
        url = await authorization_url(self.config, metadata, self._http, self._credentials, params)
        leg = UpstreamLeg(
            eid=self.name,
            state_hash=hashed(leg_secrets.state),
            nonce=leg_secrets.nonce,
            code_verifier=leg_secrets.code_verifier,
            issuer=metadata.issuer,
            acr_values=accepted,
            alone=alone,
            started_at=now,
        )
        return Begun(url, leg)

    async def check_response_issuer(self, iss: str | None, leg: UpstreamLeg) -> None:
        """RFC 9207: an upstream that advertises `iss` on its responses must send its own
        issuer; one that sends `iss` anyway must send its own too. The answer of another
        provider is never taken for this one's (the mix-up attack)."""
        metadata = await self._metadata.get()
        if iss is None:
            if metadata.authorization_response_iss_parameter_supported:
                raise UpstreamRefused(f"eID {self.name!r}: the answer carries no iss")
            return
        if not hmac.compare_digest(iss.encode(), leg.issuer.encode()):
            raise UpstreamRefused(f"eID {self.name!r}: the answer names another issuer")

    async def finish(
        self, code: str, leg: UpstreamLeg, *, redirect_uri: str, now: float
    ) -> Authentication:
        """Redeem `code`, check the id_token, read the person. Raises UpstreamRefused,
        UpstreamUnavailable or PersonNotAllowed."""
        if not code or len(code) > MAX_CODE_LENGTH:
            raise UpstreamRefused(f"eID {self.name!r}: the answer carries no usable code")
        metadata = await self._metadata.get()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": leg.code_verifier,
        }
        form, basic = self._credentials.apply(form, metadata, metadata.token_endpoint)
        status, body = await self._http.post_form(metadata.token_endpoint, form, basic)
        if status != 200:
            error = oauth_error(body)
            log.warning("eID %r: the token endpoint refused the code (%s)", self.name, error)
            raise UpstreamRefused(f"eID {self.name!r}: the token endpoint said {error}")
        try:
            answer = msgspec.json.decode(body, type=TokenAnswer)
        except msgspec.DecodeError as exc:
            raise UpstreamRefused(f"eID {self.name!r}: the token answer is malformed") from exc
        claims = await verify_id_token(
            answer.id_token,
            config=self.config,
            metadata=metadata,
            keys=self._keys,
            expected=Expected(nonce=leg.nonce, now=now),
        )
        person = person_claims.person_from_claims(claims, self.config)
        if self.config.allowed_tenants and person.entra_tid not in self.config.allowed_tenants:
            raise PersonNotAllowed(f"eID {self.name!r}: the person's tenant is not allowed")
        return Authentication(
            person=person,
            eid=self.name,
            acr=person_claims.login_acr(claims, self.config, leg.acr_values),
            amr=person_claims.login_amr(claims, self.config),
            auth_time=person_claims.auth_time(claims, int(now)),
        )

    async def aclose(self) -> None:
        await self._http.aclose()
