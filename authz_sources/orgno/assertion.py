"""private_key_jwt toward the employer-rules API: a fresh signed assertion per call.

The service takes RFC 7523's client-assertion rules, carried as a bearer token because
a JSON API has no form body: `iss` = `sub` = the caller's client_id, `aud` = its
`/parties` URL, a short `exp` and a `jti` it accepts once. The key is read at start-up,
so a wrong file stops the provider with a message naming the setting.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Final

from joserfc import jwt

from authz_sources.maskinporten.keys import SigningKey, load_key_file
from authz_sources.orgno.settings import OrgnoSettings

LIFETIME_SECONDS: Final = 60
"""Well inside the service's 300 s; each assertion is used at once."""


class AssertionSigner:
    """Makes the `Authorization` header value of one call."""

    def __init__(
        self,
        key: SigningKey,
        *,
        client_id: str,
        audience: str,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._key = key
        self._client_id = client_id
        self._audience = audience
        self._now = now

    def __call__(self) -> str:
        issued = int(self._now())
        claims = {
            "iss": self._client_id,
            "sub": self._client_id,
            "aud": self._audience,
            "iat": issued,
            "exp": issued + LIFETIME_SECONDS,
            "jti": str(uuid.uuid4()),
        }
        return f"Bearer {jwt.encode(self._key.header(), claims, self._key.key)}"


def signer_for(settings: OrgnoSettings) -> AssertionSigner | None:
    """The signer `settings` ask for, or None for a bearer token."""
    if settings.private_key_file is None or settings.client_id is None:
        return None
    key = load_key_file("private_key_file", settings.private_key_file, settings.private_key_id)
    return AssertionSigner(key, client_id=settings.client_id, audience=settings.parties_audience)
