"""Settings for the `ansattporten:orgno` source (`kind = "orgno"`).

```toml
[sources.orgno]
base_url = "https://employer-rules.example"   # the employer-rules service
token = "..."                                  # one of its api.bearer_tokens
# or, instead of token, private_key_jwt:
# client_id = "ansattporten-provider"          # its [[api.callers]] client_id
# private_key_file = "/etc/ansattporten/employer-rules-key.json"
legacy_shape = false
```
"""

from __future__ import annotations

from typing import Final

import msgspec

from authz_sources.register_http import check_register_settings

ORGNO_TYPE: Final = "ansattporten:orgno"


class OrgnoSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How to reach the employer-rules service's API, and which token shape to emit."""

    base_url: str
    """Root of the employer-rules service; the source calls `POST {base_url}/parties`
    and `GET {base_url}/health`."""

    token: str | None = None
    """Bearer token (one of the service's `api.bearer_tokens`); keep the settings file
    that holds it out of version control. Exactly one of `token` and `private_key_file`
    is required."""

    client_id: str | None = None
    """With `private_key_file`: the provider's `client_id` among the service's
    `[[api.callers]]` (the assertion's `iss` and `sub`)."""

    private_key_file: str | None = None
    """private_key_jwt instead of a bearer token: a private RSA key (JWK file, or PEM
    with `private_key_id`) that signs a fresh single-use assertion (RS256, 60 s) for
    every call; the service knows its public half."""

    private_key_id: str | None = None
    """The key's `kid` (a JWK file's own `kid` is used when this is unset)."""

    audience: str | None = None
    """The assertions' `aud`; default `{base_url}/parties`, the service's default."""

    legacy_shape: bool = False
    """Emit the pilot's older object `{"type": ..., "orgno": {...}}` (one organisation,
    no name, no rights) for clients that still parse it. The picker then allows only
    one organisation, since the old shape has room for one."""

    timeout_ms: int = 800
    """Deadline for one whole call, in milliseconds; the provider's deadline for this
    source is the same. A late answer fails the login closed."""

    max_parties: int = 1000
    """Most parties accepted in one answer; more is a malformed answer."""

    max_bytes: int = 1_048_576
    """Largest answer read, in bytes."""

    max_connections: int = 20
    """Size of the pooled connection set shared by all calls."""

    ca_file: str | None = None
    """A PEM file of CA certificates to trust for the service instead of certifi's roots
    (an employer-rules service behind a private CA); read at start-up."""

    def __post_init__(self) -> None:
        check_register_settings(self)
        if not 0 < self.max_parties <= 100_000:
            raise ValueError("max_parties must be between 1 and 100000")
        if (self.token is None) == (self.private_key_file is None):
            raise ValueError("set exactly one of token and private_key_file")
        if self.token is not None and len(self.token) < 16:
            raise ValueError("token is too short to be a secret (at least 16 characters)")
        if self.private_key_file is not None and not self.client_id:
            raise ValueError("client_id is required with private_key_file")

    @property
    def parties_audience(self) -> str:
        return self.audience or f"{self.base_url.rstrip('/')}/parties"
