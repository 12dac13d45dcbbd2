"""node-oidc-provider (npm `oidc-provider`, pinned in tests/node_upstream/) as a
standalone upstream OpenID provider on loopback, for tests of a broker that logs people
in through "any OIDC provider".

    with run_node_upstream(redirect_uris=["http://127.0.0.1:8000/eid/node/callback"]) as up:
        up.issuer                      # discovery at {issuer}/.well-known/openid-configuration
        up.secret_client               # client_id, client_secret (client_secret_basic)
        up.key_client                  # client_id, private_jwk (private_key_jwt, RS256)
        query = up.login(authorization_url, account="23865938772", acr="idporten-loa-high")
        query["code"], query["state"], query["iss"]
        up.cancel(authorization_url)   # -> {"error": "access_denied", ...}

`login` plays the browser: it follows the provider's redirects with its own cookie jar,
posts the synthetic number and level to the login form, and returns the parameters of
the final redirect to the client (which it does not follow). The id_token carries
`pid`, `acr` (the level chosen) and `amr: ["TestID"]`, and with scope `profile` the
names of `accounts`. The `node_upstream` fixture runs one for a test module with the
redirect URI `DEFAULT_REDIRECT_URI`.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx
import pytest
from joserfc.jwk import RSAKey

from tests.support.npm import NodeUnavailable, npm_ci
from tests.support.servers import free_port

NODE_DIR = Path(__file__).resolve().parents[1] / "node_upstream"
DEFAULT_REDIRECT_URI = "http://127.0.0.1:9/upstream/callback"
"""Never contacted: `login` stops at the redirect to the client and returns its query."""

ACCOUNTS: Mapping[str, Mapping[str, str]] = {
    "23865938772": {"given_name": "Lars", "family_name": "Berg"},
    "09868841440": {"given_name": "Nora", "family_name": "Eide"},
}
"""Synthetic numbers (month + 80) the login form accepts, shared with the demo people."""


def ensure_installed() -> None:
    """`npm ci` into tests/node_upstream/node_modules unless the pinned version is there."""
    npm_ci(NODE_DIR)


@dataclass(frozen=True)
class NodeClient:
    client_id: str
    token_endpoint_auth_method: str
    redirect_uris: tuple[str, ...]
    client_secret: str | None = None
    private_jwk: dict[str, Any] | None = None
    """The private RSA key (with `kid`) that signs this client's assertions."""


@dataclass
class NodeUpstream:
    issuer: str
    secret_client: NodeClient
    key_client: NodeClient
    accounts: Mapping[str, Mapping[str, str]]
    log: Path
    _timeout: float = field(default=10.0)

    def login(
        self, authorization_url: str, account: str, acr: str = "idporten-loa-high"
    ) -> dict[str, str]:
        """Log `account` in at `acr`; the query of the redirect back to the client."""
        with httpx.Client(timeout=self._timeout) as browser:
            page = self._walk(browser, browser.get(authorization_url))
            if isinstance(page, dict):
                return page
            done = self._walk(
                browser, browser.post(f"{page.url}/login", data={"account": account, "acr": acr})
            )
        if not isinstance(done, dict):
            raise AssertionError(f"the login form answered {done.status_code}: {done.text[:300]}")
        return done

    def cancel(self, authorization_url: str) -> dict[str, str]:
        with httpx.Client(timeout=self._timeout) as browser:
            page = self._walk(browser, browser.get(authorization_url))
            if isinstance(page, dict):
                return page
            done = self._walk(browser, browser.post(f"{page.url}/abort"))
        if not isinstance(done, dict):
            raise AssertionError(f"cancel answered {done.status_code}: {done.text[:300]}")
        return done

    def _walk(
        self, browser: httpx.Client, response: httpx.Response
    ) -> httpx.Response | dict[str, str]:
        """Follow redirects within the provider; stop at a page, or return the query of
        the redirect that leaves it (the authorization response)."""
        for _ in range(20):
            if not response.is_redirect:
                return response
            target = urljoin(str(response.url), response.headers["location"])
            if not target.startswith(self.issuer + "/"):
                return dict(parse_qsl(urlsplit(target).query))
            response = browser.get(target)
        raise AssertionError("too many redirects inside node-oidc-provider")


def _start(config: dict[str, Any], folder: Path) -> subprocess.Popen[bytes]:
    path = folder / "config.json"
    path.write_text(json.dumps(config))
    with (folder / "node.log").open("wb") as log:  # the child keeps its own descriptor
        return subprocess.Popen(
            ["node", str(NODE_DIR / "server.mjs"), str(path)],
            cwd=NODE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NODE_ENV": "production"},
        )


def _wait_until_ready(issuer: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise NodeUnavailable(f"node-oidc-provider exited:\n{log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=2).is_success:
                return
        time.sleep(0.1)
    raise NodeUnavailable(f"node-oidc-provider did not start:\n{log.read_text()}")


@contextlib.contextmanager
def run_node_upstream(
    redirect_uris: Sequence[str] = (DEFAULT_REDIRECT_URI,),
    accounts: Mapping[str, Mapping[str, str]] = ACCOUNTS,
) -> Iterator[NodeUpstream]:
    ensure_installed()
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    key = RSAKey.generate_key(2048, parameters={"kid": "broker-key-1", "alg": "RS256"})
    secret_client = NodeClient(
        client_id="broker-secret-client",
        token_endpoint_auth_method="client_secret_basic",
        redirect_uris=tuple(redirect_uris),
        client_secret="node-upstream-secret-0123456789abcdef",
    )
    key_client = NodeClient(
        client_id="broker-key-client",
        token_endpoint_auth_method="private_key_jwt",
        redirect_uris=tuple(redirect_uris),
        private_jwk=dict(key.as_dict(private=True)),
    )
    clients = [
        {
            "client_id": secret_client.client_id,
            "client_secret": secret_client.client_secret,
            "token_endpoint_auth_method": secret_client.token_endpoint_auth_method,
            "redirect_uris": list(redirect_uris),
        },
        {
            "client_id": key_client.client_id,
            "token_endpoint_auth_method": key_client.token_endpoint_auth_method,
            "token_endpoint_auth_signing_alg": "RS256",
            "redirect_uris": list(redirect_uris),
            "jwks": {"keys": [dict(key.as_dict(private=False))]},
        },
    ]
    config = {"issuer": issuer, "port": port, "clients": clients, "accounts": dict(accounts)}
    with tempfile.TemporaryDirectory(prefix="node-upstream-") as folder:
        process = _start(config, Path(folder))
        log = Path(folder) / "node.log"
        try:
            _wait_until_ready(issuer, process, log)
            yield NodeUpstream(issuer, secret_client, key_client, accounts, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def node_upstream() -> Iterator[NodeUpstream]:
    """node-oidc-provider for one test module, registered for `DEFAULT_REDIRECT_URI`."""
    with run_node_upstream() as upstream:
        yield upstream
