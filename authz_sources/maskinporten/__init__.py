"""Maskinporten tokens for sources that call APIs protected by Maskinporten scopes.

`MaskinportenClient` does the JWT-bearer grant (RFC 7523) with a registered key or a
business certificate, caches the token and renews it in the background; `keys` reads
the signing material; `authz_sources.maskinporten.mock` is a stand-in Maskinporten for
tests and the demo.
"""

from authz_sources.maskinporten.client import MaskinportenClient, MaskinportenConfig
from authz_sources.maskinporten.keys import (
    KeyMaterialError,
    SigningKey,
    load_certificate,
    load_key_file,
)
from authz_sources.maskinporten.renewing_token import Issued, RenewingToken

__all__ = [
    "Issued",
    "KeyMaterialError",
    "MaskinportenClient",
    "MaskinportenConfig",
    "RenewingToken",
    "SigningKey",
    "load_certificate",
    "load_key_file",
]
