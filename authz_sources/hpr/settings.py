"""Settings for the health personnel register source (`kind = "hpr"`).

```toml
[sources.hpr]
base_url = "https://hpr.example"      # the mock: `python -m authz_sources.hpr.mock`
timeout_ms = 2000
bearer_token = "..."                   # a Maskinporten token for the real register
```
"""

from __future__ import annotations

import msgspec

from authz_sources.register_http import check_register_settings


class HprSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How to reach an HPR-style REST API."""

    base_url: str
    """Root of the HPR REST API; the source posts to `{base_url}/v1/personerutvidet`."""

    timeout_ms: int = 2000
    """Deadline for one whole lookup (connect, send, read), in milliseconds; the
    provider's deadline for this source is the same."""

    bearer_token: str | None = None
    """Sent as `Authorization: Bearer`. The real register wants a Maskinporten token
    with the scopes `nhn:hpr/basic nhn:hpr/extended`; the mock needs none."""

    max_bytes: int = 1_048_576
    """Largest answer read, in bytes; a longer one is treated as malformed (fail closed)
    instead of being buffered."""

    max_connections: int = 20
    """Size of the pooled connection set shared by all lookups of this source."""

    ca_file: str | None = None
    """A PEM file of CA certificates to trust for this register instead of certifi's
    roots (a register behind a private CA); read at start-up."""

    def __post_init__(self) -> None:
        check_register_settings(self)
