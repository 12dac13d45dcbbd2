"""The broker logs in through node-oidc-provider (npm `oidc-provider`): a certified
OpenID provider nobody here wrote, as a plain `kind = "oidc"` eID, authenticating with
a client secret and with `private_key_jwt` (a key file), over PAR, with RFC 9207 `iss`
and the id_token checked against its JWKS."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from ansattporten.app import create_app
from tests.support.eid_driver import EidDriver
from tests.support.login_driver import query_of
from tests.support.node_upstream import NodeUpstream, run_node_upstream
from tests.support.provider import provider_settings
from tests.support.servers import free_socket, serve_in_thread
from tests.support.tokens import verified_claims

LARS = "23865938772"
NORA = "09868841440"


@dataclass
class NodeStack:
    provider: str
    upstream: NodeUpstream


@pytest.fixture(scope="module")
def node_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NodeStack]:
    folder = tmp_path_factory.mktemp("node-broker")
    socket = free_socket()
    provider = f"http://127.0.0.1:{socket.getsockname()[1]}"
    callbacks = [f"{provider}/eid/node/callback", f"{provider}/eid/nodekey/callback"]
    with contextlib.ExitStack() as running:
        upstream = running.enter_context(run_node_upstream(redirect_uris=callbacks))
        key_file = folder / "node-key.json"
        key_file.write_text(json.dumps(upstream.key_client.private_jwk))
        secret = upstream.secret_client
        eids = {
            "node": {
                "kind": "oidc",
                "label": "Node OP",
                "issuer": upstream.issuer,
                "client_id": secret.client_id,
                "client_secret": secret.client_secret,
            },
            "nodekey": {
                "kind": "oidc",
                "label": "Node OP (key)",
                "issuer": upstream.issuer,
                "client_id": upstream.key_client.client_id,
                "private_key_file": str(key_file),
                "acr_values": ["idporten-loa-high"],
            },
        }
        settings = provider_settings(
            provider, f"sqlite:///{Path(folder) / 'ap.db'}", {"eids": eids, "rate_limit": False}
        )
        running.enter_context(serve_in_thread(create_app(settings), socket))
        yield NodeStack(provider, upstream)


def log_in(stack: NodeStack, eid: str, pid: str, acr: str) -> tuple[EidDriver, dict[str, str]]:
    driver = EidDriver(stack.provider)
    login_url = driver.start(acr_values="idporten-loa-substantial", scope="openid profile")
    assert driver.eid_names(login_url) == ["node", "nodekey"]
    started = driver.choose_eid(login_url, eid)
    assert started.status_code == 303
    pushed = query_of(started.headers["location"])
    assert set(pushed) == {"client_id", "request_uri"}  # PAR
    answer = stack.upstream.login(started.headers["location"], account=pid, acr=acr)
    assert answer["iss"] == stack.upstream.issuer
    arrived = driver.arrive(f"{stack.provider}/eid/{eid}/callback?{urlencode(answer)}")
    callback = driver.callback(driver.onwards(arrived))
    token = driver.redeem(callback["code"])
    assert token.status_code == 200, token.text
    return driver, verified_claims(stack.provider, token.json()["id_token"])


def test_a_login_through_node_oidc_provider_with_a_secret(node_stack: NodeStack) -> None:
    driver, claims = log_in(node_stack, "node", LARS, "idporten-loa-substantial")
    assert claims["pid"] == LARS
    assert claims["acr"] == "substantial"
    assert claims["amr"] == ["TestID"]
    assert claims["name"] == "Lars Berg"
    assert claims["given_name"] == "Lars"
    driver.close()


def test_a_login_through_node_oidc_provider_with_private_key_jwt(node_stack: NodeStack) -> None:
    driver, claims = log_in(node_stack, "nodekey", NORA, "idporten-loa-high")
    assert claims["pid"] == NORA
    assert claims["acr"] == "high"
    driver.close()


def test_a_level_below_what_the_request_allows_is_refused(node_stack: NodeStack) -> None:
    driver = EidDriver(node_stack.provider)
    login_url = driver.start(acr_values="idporten-loa-high")
    started = driver.choose_eid(login_url, "node")
    answer = node_stack.upstream.login(
        started.headers["location"], account=LARS, acr="idporten-loa-substantial"
    )
    page = driver.arrive(f"{node_stack.provider}/eid/node/callback?{urlencode(answer)}")
    assert page.status_code == 400
    assert "Node OP" in page.text
    driver.close()


def test_cancel_at_node_oidc_provider(node_stack: NodeStack) -> None:
    driver = EidDriver(node_stack.provider)
    login_url = driver.start()
    started = driver.choose_eid(login_url, "node")
    answer = node_stack.upstream.cancel(started.headers["location"])
    back = driver.arrive(f"{node_stack.provider}/eid/node/callback?{urlencode(answer)}")
    assert back.status_code == 303
    assert "cancelled=node" in back.headers["location"]
    driver.close()
