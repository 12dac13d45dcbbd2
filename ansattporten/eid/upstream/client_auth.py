"""How the provider authenticates to an upstream's PAR and token endpoints: a client
secret (HTTP Basic or in the form), or a `private_key_jwt` assertion (RFC 7523 2.2)
signed with the key in `private_key_file`.

The assertion's `aud` is the upstream's issuer (ID-porten accepts nothing else) or its
token endpoint URL (Entra ID), as `assertion_audience` says. Each assertion lives 60
seconds and has its own `jti`.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import Any, Final

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from ansattporten.eid.upstream.errors import KeyFileError
from ansattporten.eid.upstream.metadata import ProviderMetadata
from ansattporten.settings_eids import EidConfig

ASSERTION_TYPE: Final = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME: Final = 60

SigningKey = RSAKey | ECKey


def load_private_key(path: str, kid: str | None) -> tuple[SigningKey, str, str]:
    """(key, kid, alg) from a private JWK (JSON) or a PEM file; KeyFileError otherwise."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise KeyFileError(f"cannot read private_key_file {path}: {exc.strerror}") from exc
    try:
        if text.lstrip().startswith("{"):
            data: dict[str, Any] = json.loads(text)
            key: SigningKey = (ECKey if data.get("kty") == "EC" else RSAKey).import_key(data)
            kid = kid or data.get("kid")
        else:
            key = (ECKey if "EC PRIVATE" in text else RSAKey).import_key(text)
    except (ValueError, JoseError) as exc:
        raise KeyFileError(f"private_key_file {path} is not a private RSA or EC key") from exc
    if not key.is_private:
        raise KeyFileError(f"private_key_file {path} holds a public key only")
    if not kid:
        raise KeyFileError(f"private_key_file {path}: set private_key_id (the key's kid)")
    alg = "ES256" if isinstance(key, ECKey) else "RS256"
    return key, kid, alg


class ClientCredentials:
    """Adds the provider's client authentication to a back-channel form."""

    def __init__(self, config: EidConfig) -> None:
        self._config = config
        self._key: tuple[SigningKey, str, str] | None = None
        if config.token_endpoint_auth_method == "private_key_jwt":
            assert config.private_key_file is not None  # settings require it
            self._key = load_private_key(config.private_key_file, config.private_key_id)

    def apply(
        self, form: dict[str, str], metadata: ProviderMetadata, endpoint: str
    ) -> tuple[dict[str, str], tuple[str, str] | None]:
        """(form with credentials, Basic credentials or None) for a call to `endpoint`.
        The form always names `client_id`: a pushed request is an authorization request,
        which must (RFC 9126 2.1), and naming it beside Basic credentials is harmless."""
        config = self._config
        method = config.token_endpoint_auth_method
        form = {**form, "client_id": config.client_id}
        if method == "client_secret_basic":
            assert config.client_secret is not None
            return form, (config.client_id, config.client_secret)
        if method == "client_secret_post":
            assert config.client_secret is not None
            return {**form, "client_secret": config.client_secret}, None
        audience = metadata.issuer if config.assertion_audience == "issuer" else endpoint
        return {
            **form,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self._assertion(audience),
        }, None

    def _assertion(self, audience: str) -> str:
        assert self._key is not None
        key, kid, alg = self._key
        now = int(time.time())
        claims = {
            "iss": self._config.client_id,
            "sub": self._config.client_id,
            "aud": audience,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME,
            "jti": secrets.token_urlsafe(24),
        }
        return jwt.encode({"alg": alg, "kid": kid, "typ": "JWT"}, claims, key, algorithms=[alg])
