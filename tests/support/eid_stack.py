"""A provider brokering real eIDs, for a test: the mock ID-porten and the mock Entra ID
on loopback sockets (their demo people and tenants, their client registrations pointed
at this provider's callbacks), and the provider with `[eids]` settings for TestID,
ID-porten and Entra ID, all talking real HTTP.

    with run_eid_stack(database_url, sources={...}) as stack:
        stack.provider      # the provider's base URL (its issuer)
        stack.idporten      # the mock's handle: .faults, .keys, .issuer
        stack.entra         # the same for the mock Entra ID
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.jwk import RSAKey

from ansattporten.app import create_app
from ansattporten.settings import Settings
from ansattporten.upstream_mocks.entra.app import MockEntra, create_entra_mock
from ansattporten.upstream_mocks.entra.fixture import DEMO_FIXTURE as ENTRA_DEMO
from ansattporten.upstream_mocks.idporten.app import MockIdPorten, create_idporten_mock
from ansattporten.upstream_mocks.idporten.fixture import DEMO_FIXTURE as IDPORTEN_DEMO
from tests.support.provider import provider_settings
from tests.support.servers import free_socket, serve_in_thread

IDPORTEN_CLIENT = "ansattporten-broker"
IDPORTEN_SECRET = "idporten-broker-secret-0123456789"
ENTRA_SECRET = "entra-broker-secret-0123456789"
FJORDVIND = "2e9678c1-f38a-58c6-a31a-797425a9263c"
HAVBRIS = "13e32792-6b76-51c2-9e70-8cd065153def"


def public_jwks(key_file: Path) -> dict[str, Any]:
    """The public half of the private JWK in `key_file`, as a JWKS (no `alg`: Entra
    registers certificates without one)."""
    private = json.loads(key_file.read_text(encoding="utf-8"))
    public = {k: v for k, v in RSAKey.import_key(private).as_dict(private=False).items()}
    return {"keys": [{**public, "kid": private["kid"]}]}


def idporten_fixture(callbacks: list[str], key_file: Path | None = None) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads(IDPORTEN_DEMO.read_text(encoding="utf-8"))
    client: dict[str, Any] = {
        "client_id": IDPORTEN_CLIENT,
        "client_name": "Ansattporten (test)",
        "redirect_uris": callbacks,
        "token_endpoint_auth_method": "client_secret_basic",
        "client_secret": IDPORTEN_SECRET,
        "scopes": ["openid", "profile"],
    }
    if key_file is not None:
        client.update(token_endpoint_auth_method="private_key_jwt", client_secret=None,
                      jwks=public_jwks(key_file))  # fmt: skip
    fixture["clients"] = [client]
    return fixture


def entra_fixture(callbacks: list[str], key_file: Path | None = None) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads(ENTRA_DEMO.read_text(encoding="utf-8"))
    app = fixture["applications"][0]
    app["redirect_uris"] = callbacks
    app["client_secrets"] = [ENTRA_SECRET]
    if key_file is not None:
        app["client_secrets"] = []
        app["jwks"] = public_jwks(key_file)
    return fixture


def entra_client_id() -> str:
    fixture = json.loads(ENTRA_DEMO.read_text(encoding="utf-8"))
    client_id: str = fixture["applications"][0]["client_id"]
    return client_id


@dataclass
class EidStack:
    provider: str
    settings: Settings
    idporten: MockIdPorten
    entra: MockEntra


def eid_settings(
    idporten: str, entra: str, /, **changes: Mapping[str, Any] | None
) -> dict[str, Any]:
    """`[eids]`: TestID, ID-porten and Entra ID (each block updated by `changes`)."""
    eids: dict[str, Any] = {
        "testid": {"kind": "testid"},
        "idporten": {
            "preset": "idporten",
            "issuer": idporten,
            "client_id": IDPORTEN_CLIENT,
            "client_secret": IDPORTEN_SECRET,
        },
        "entraid": {
            "preset": "entraid",
            "issuer": f"{entra}/organizations/v2.0",
            "client_id": entra_client_id(),
            "client_secret": ENTRA_SECRET,
        },
    }
    for name, change in changes.items():
        if change is None:
            eids.pop(name)
        else:
            eids[name] = {**eids.get(name, {}), **change}
    return eids


@contextlib.contextmanager
def run_eid_stack(
    database_url: str,
    overrides: Mapping[str, Any] | None = None,
    *,
    eids: Mapping[str, Any] | None = None,
    extra_callbacks: tuple[str, ...] = (),
    key_file: Path | None = None,
) -> Iterator[EidStack]:
    """`eids`: changes to `eid_settings` (a name mapped to None leaves that eID out).
    `key_file`: a private JWK the provider authenticates with at both mocks
    (`private_key_jwt`; a certificate credential at Entra ID) instead of secrets."""
    if key_file is not None:
        with_key = {"client_secret": None, "private_key_file": str(key_file)}
        eids = {"idporten": with_key, "entraid": with_key, **(eids or {})}
    provider_socket, idporten_socket, entra_socket = free_socket(), free_socket(), free_socket()
    provider = f"http://127.0.0.1:{provider_socket.getsockname()[1]}"
    idporten_issuer = f"http://127.0.0.1:{idporten_socket.getsockname()[1]}"
    entra_base = f"http://127.0.0.1:{entra_socket.getsockname()[1]}"
    callbacks = [f"{provider}/eid/{name}/callback" for name in ("idporten", "entraid", "node")]
    callbacks += list(extra_callbacks)
    idporten = create_idporten_mock(idporten_fixture(callbacks, key_file), issuer=idporten_issuer)
    entra = create_entra_mock(entra_fixture(callbacks, key_file), base_url=entra_base)
    settings = provider_settings(
        provider,
        database_url,
        {"eids": eid_settings(idporten_issuer, entra_base, **(eids or {})), **(overrides or {})},
    )
    with (
        serve_in_thread(idporten.app, idporten_socket),
        serve_in_thread(entra.app, entra_socket),
        serve_in_thread(create_app(settings), provider_socket),
    ):
        yield EidStack(provider, settings, idporten, entra)
