"""What a service and an API do with the tokens: verify them against the published JWKS,
introspect them, and (for negative tests) sign look-alikes with the provider's own key
read from its database."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping
from contextlib import closing
from typing import Any

import httpx
from joserfc import jws, jwt
from joserfc.jwk import JWKRegistry, KeySet

from tests.support.login_driver import CLIENTS


class LargeHeaders(jws.JWSRegistry):
    max_header_length = 16384
    """A token header may carry the signing certificate's chain (`x5c`), as ID-porten's
    do; joserfc refuses headers over 512 bytes by default."""


def verified_claims(base_url: str, token: str) -> dict[str, Any]:
    """The claims of a JWT after checking its signature against `/jwks.json`."""
    jwks = httpx.get(f"{base_url}/jwks.json", timeout=10)
    assert jwks.status_code == 200, jwks.text
    registry = LargeHeaders(algorithms=["RS256", "ES256"])
    decoded = jwt.decode(token, KeySet.import_key_set(jwks.json()), registry=registry)
    return dict(decoded.claims)


def client_credentials(client_id: str = "confidential-service") -> tuple[str, str]:
    """HTTP Basic credentials of a `client_secret_basic` client of provider.toml."""
    secret, _, method = CLIENTS[client_id]
    assert method == "client_secret_basic"
    assert secret
    return client_id, secret


SERVICE_CREDENTIALS = client_credentials()


def introspect(
    base_url: str, token: str, credentials: tuple[str, str] | None = SERVICE_CREDENTIALS
) -> httpx.Response:
    """POST /token/introspect, authenticated with `credentials` (none when None)."""
    return httpx.post(
        f"{base_url}/token/introspect", data={"token": token}, auth=credentials, timeout=10
    )


def sqlite_path(database_url: str) -> str:
    prefix = "sqlite:///"
    assert database_url.startswith(prefix), database_url
    return database_url[len(prefix) :]


def rows(database_url: str, sql: str, *args: Any) -> list[sqlite3.Row]:
    """Read the provider's SQLite database directly (read-only)."""
    uri = f"file:{sqlite_path(database_url)}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        db.row_factory = sqlite3.Row
        return list(db.execute(sql, args))


def resign_with_provider_key(
    database_url: str, token: str, changes: Mapping[str, Any], *, typ: str | None = "at+jwt"
) -> str:
    """`token`'s claims with `changes`, signed with the provider's own key (so only the
    changed claims, or the header's `typ`, can make the provider refuse it; `typ=None`
    leaves it out)."""
    signed = jws.extract_compact(token.encode())
    header = signed.headers()
    found = rows(database_url, "SELECT private_jwk FROM signing_keys WHERE kid = ?", header["kid"])
    assert found, "the token's key is not in the provider's database"
    key = JWKRegistry.import_key(json.loads(found[0]["private_jwk"]))
    claims = {**json.loads(signed.payload or b"{}"), **changes}
    new_header = {"alg": header["alg"], "kid": header["kid"]}
    if typ is not None:
        new_header["typ"] = typ
    return jwt.encode(new_header, claims, key)


def expired(claims: Mapping[str, Any]) -> dict[str, Any]:
    now = int(time.time())
    return {"iat": now - 600, "exp": now - 300, "auth_time": claims.get("auth_time", now - 600)}
