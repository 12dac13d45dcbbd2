"""What the security tests share: the clients of tests/fixtures/security_clients.toml with
their test-time keys, a login driver that can authenticate as any of them, JWT client
assertions (good and bad), and small probes of the provider's state."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import sqlite3
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from ansattporten.spec.rfc7523 import ASSERTION_TYPE
from tests.support.login_driver import CLIENTS, TLS, LoginDriver
from tests.support.provider import base_settings
from tests.support.servers import answer_lifespan, serve_in_thread
from tests.support.tokens import sqlite_path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PID = "45840375084"
"""A synthetic TestID person (tests/fixtures/testid_people.json `plain_employee`)."""

SECURITY_CLIENTS: dict[str, tuple[str | None, str, str]] = {
    "jwt-service": (None, "http://jwt.test/callback", "private_key_jwt"),
    "jwt-uri-service": (None, "http://jwt-uri.test/callback", "private_key_jwt"),
    "jwt-dead-uri-service": (None, "http://jwt-dead.test/callback", "private_key_jwt"),
    "refresh-service": (
        "refresh-secret-0123456789",
        "http://refresh.test/callback",
        "client_secret_basic",
    ),
    "public-refresh-spa": (None, "http://public-refresh.test/callback", "none"),
    "es256-service": (
        "es256-secret-0123456789",
        "http://es256.test/callback",
        "client_secret_basic",
    ),
}
ALL_CLIENTS = {**CLIENTS, **SECURITY_CLIENTS}


# keys and assertions ------------------------------------------------------------------


@dataclass(frozen=True)
class ClientKeys:
    """Key pairs generated for one test session (never stored anywhere)."""

    rsa: RSAKey
    ec: ECKey
    uri_rsa: RSAKey
    stranger: RSAKey
    """A key nobody registered, carrying the same kid as `rsa`."""

    @classmethod
    def generate(cls) -> ClientKeys:
        def rsa(kid: str) -> RSAKey:
            return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig"}, private=True)

        return cls(
            rsa=rsa("jwt-rs"),
            ec=ECKey.generate_key(
                "P-256", parameters={"kid": "jwt-es", "use": "sig"}, private=True
            ),
            uri_rsa=rsa("uri-rs"),
            stranger=rsa("jwt-rs"),
        )

    def jwks(self) -> dict[str, Any]:
        return public_jwks(self.rsa, self.ec)


def public_jwks(*keys: RSAKey | ECKey) -> dict[str, Any]:
    return {"keys": [dict(key.as_dict(private=False)) for key in keys]}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def assertion_claims(client_id: str, audience: Any, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + 60,
        "jti": secrets.token_urlsafe(16),
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def sign_assertion(
    key: RSAKey | ECKey, claims: Mapping[str, Any], *, alg: str | None = None
) -> str:
    alg = alg or ("ES256" if isinstance(key, ECKey) else "RS256")
    return jwt.encode({"alg": alg, "kid": key.kid, "typ": "JWT"}, dict(claims), key)


def hs256_assertion(secret: bytes, claims: Mapping[str, Any], kid: str) -> str:
    """An HMAC-signed look-alike (e.g. keyed with the client's *public* key)."""
    signing_input = ".".join(
        b64url(json.dumps(part).encode())
        for part in ({"alg": "HS256", "kid": kid, "typ": "JWT"}, dict(claims))
    )
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def unsigned_assertion(claims: Mapping[str, Any], kid: str) -> str:
    header = b64url(json.dumps({"alg": "none", "kid": kid, "typ": "JWT"}).encode())
    return f"{header}.{b64url(json.dumps(dict(claims)).encode())}."


# clients and providers --------------------------------------------------------------


def security_clients(
    keys: ClientKeys, *, jwks_uri: str, dead_jwks_uri: str
) -> list[dict[str, Any]]:
    """provider.toml's clients plus security_clients.toml's, keys filled in."""
    extra = tomllib.loads((FIXTURES / "security_clients.toml").read_text())["clients"]
    for client in extra:
        if client["client_id"] == "jwt-service":
            client["jwks"] = keys.jwks()
        elif client["client_id"] == "jwt-uri-service":
            client["jwks_uri"] = jwks_uri
    extra.append(
        {
            "client_id": "jwt-dead-uri-service",
            "redirect_uris": ["http://jwt-dead.test/callback"],
            "token_endpoint_auth_method": "private_key_jwt",
            "jwks_uri": dead_jwks_uri,
        }
    )
    clients: list[dict[str, Any]] = base_settings()["clients"]
    return clients + extra


def jwks_app(jwks: dict[str, Any]) -> Any:
    """A minimal ASGI app that publishes a client's JWK Set at any path."""
    body = json.dumps(jwks).encode()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


@contextlib.contextmanager
def jwks_server(jwks: dict[str, Any]) -> Iterator[str]:
    with serve_in_thread(jwks_app(jwks)) as base_url:
        yield f"{base_url}/jwks.json"


# the driver ---------------------------------------------------------------------------


@dataclass
class SecurityDriver(LoginDriver):
    """A LoginDriver for every client of the security tests; private_key_jwt clients
    sign a fresh assertion for each request."""

    keys: ClientKeys | None = None
    issuer: str = field(default="")

    def __post_init__(self) -> None:
        super().__post_init__()
        self.issuer = self.issuer or self.base_url

    @property
    def secret(self) -> str | None:
        return ALL_CLIENTS[self.client_id][0]

    @property
    def redirect_uri(self) -> str:
        return ALL_CLIENTS[self.client_id][1]

    @property
    def method(self) -> str:
        return ALL_CLIENTS[self.client_id][2]

    def assertion(self, **changes: Any) -> str:
        assert self.keys is not None, "a private_key_jwt driver needs the client keys"
        key = self.keys.uri_rsa if self.client_id == "jwt-uri-service" else self.keys.rsa
        return sign_assertion(key, assertion_claims(self.client_id, self.issuer, **changes))

    def client_auth(self) -> tuple[dict[str, str], tuple[str, str] | None]:
        if self.method == "private_key_jwt":
            return {
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": self.assertion(),
            }, None
        if self.method == "client_secret_basic":
            return {}, (self.client_id, self.secret or "")
        if self.method == "client_secret_post":
            return {"client_id": self.client_id, "client_secret": self.secret or ""}, None
        return {"client_id": self.client_id}, None

    def back_channel(self, path: str, data: Mapping[str, str]) -> httpx.Response:
        """POST to a back-channel endpoint, authenticated as this client."""
        extra, auth = self.client_auth()
        return self.service.post(path, data={**data, **extra}, auth=auth)  # type: ignore[arg-type]

    def refresh(self, refresh_token: str) -> httpx.Response:
        return self.back_channel(
            "/token", {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )

    def revoke(self, token: str) -> httpx.Response:
        return self.back_channel("/token/revoke", {"token": token})

    def introspect(self, token: str) -> httpx.Response:
        return self.back_channel("/token/introspect", {"token": token})

    def userinfo(self, access_token: str) -> httpx.Response:
        return self.service.get("/userinfo", headers={"Authorization": f"Bearer {access_token}"})

    def tokens(self, pid: str = PID, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """A whole login; the token response."""
        response = self.redeem(self.login_for_code(pid, details))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def http_client(base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, follow_redirects=False, timeout=30, verify=TLS)


# the provider's state ----------------------------------------------------------------


def count_rows(database_url: str, table: str) -> int:
    uri = f"file:{sqlite_path(database_url)}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def write_sql(database_url: str, sql: str, *args: Any) -> None:
    """Change the provider's SQLite database behind its back (e.g. to age a login)."""
    with closing(sqlite3.connect(sqlite_path(database_url), timeout=30)) as db:
        db.execute(sql, args)
        db.commit()


def token_is_alive(driver: SecurityDriver, access_token: str) -> bool:
    """Whether the access token still works at userinfo *and* introspection (they must
    agree)."""
    userinfo = driver.userinfo(access_token)
    introspection = driver.introspect(access_token)
    assert userinfo.status_code in (200, 401), userinfo.text
    assert introspection.status_code == 200, introspection.text
    active = introspection.json()["active"]
    assert active is (userinfo.status_code == 200), (userinfo.text, introspection.text)
    return bool(active)


# every kind of response -----------------------------------------------------------------

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
Request = Callable[[httpx.Client, "SecurityDriver"], httpx.Response]

EVERY_KIND_OF_REQUEST: dict[str, Request] = {
    # pages
    "login_page": lambda c, d: d.browser.get(d.start()),
    "authorize_error_page": lambda c, d: c.get("/authorize"),
    "logout_page": lambda c, d: c.get("/logout"),
    "not_found_page": lambda c, d: c.get("/no-such-page"),
    "unknown_transaction_page": lambda c, d: c.get("/login/unknown"),
    "csrf_refused_page": lambda c, d: d.browser.post(d.start() + "/testid", data={"pid": "1"}),
    "body_too_large_page": lambda c, d: c.post(
        "/login/x/testid", content=b"a=" + b"x" * 70_000, headers=FORM
    ),
    # JSON
    "discovery": lambda c, d: c.get("/.well-known/openid-configuration"),
    "jwks": lambda c, d: c.get("/jwks.json"),
    "token_error": lambda c, d: c.post("/token", data={"grant_type": "password"}),
    "token_unauthenticated": lambda c, d: c.post(
        "/token", data={"grant_type": "authorization_code", "code": "x"}
    ),
    "userinfo_401": lambda c, d: c.get("/userinfo"),
    "method_not_allowed": lambda c, d: c.put("/token"),
    "health": lambda c, d: c.get("/health"),
    # other
    "metrics": lambda c, d: c.get("/metrics"),
    "static": lambda c, d: c.get("/static/app.css"),
}
