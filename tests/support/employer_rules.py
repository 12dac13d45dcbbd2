"""Starting the employer-rules service for a test: settings pointing at a provider, a
fresh database, the organisations (and optionally rules) of
tests/fixtures/employer_rules, a loopback port."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from employer_rules.app import create_app
from employer_rules.settings import Settings, settings_from_mapping
from tests.support.servers import free_socket, serve_in_thread

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "employer_rules"
API_TOKEN = "employer-rules-test-token-0123456789abcdef"
ADMIN_CLIENT = "employer-rules-admin"
ADMIN_SECRET = "employer-rules-admin-secret-0123456789"
ADMIN_RESOURCE = "urn:altinn:resource:digdir-ansattporten-organisasjonstilknytning"


def people() -> dict[str, str]:
    found: dict[str, str] = json.loads((FIXTURES / "people.json").read_text())
    return found


def rules_settings(
    base_url: str,
    database_url: str,
    issuer: str = "http://127.0.0.1:9",
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    data: dict[str, Any] = {
        "base_url": base_url,
        "database_url": database_url,
        "organisations_file": str(FIXTURES / "organisations.json"),
        "provider": {"issuer": issuer, "client_id": ADMIN_CLIENT, "client_secret": ADMIN_SECRET},
        "api": {"bearer_tokens": [API_TOKEN]},
    }
    for key, value in (overrides or {}).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return settings_from_mapping(data)


@dataclass
class RunningRules:
    base_url: str
    settings: Settings


@contextlib.contextmanager
def run_employer_rules(
    database_url: str,
    issuer: str = "http://127.0.0.1:9",
    overrides: Mapping[str, Any] | None = None,
    sock: socket.socket | None = None,
) -> Iterator[RunningRules]:
    """`sock`: a socket bound beforehand, when the URL had to be known earlier (to
    register the admin application's redirect URI with the provider)."""
    sock = sock or free_socket()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = rules_settings(base_url, database_url, issuer, overrides)
    with serve_in_thread(create_app(settings), sock) as url:
        yield RunningRules(url, settings)


def admin_client_registration(base_url: str) -> dict[str, Any]:
    """The admin application as a `[[clients]]` entry of the provider's settings."""
    return {
        "client_id": ADMIN_CLIENT,
        "client_secret": ADMIN_SECRET,
        "client_name": "Organisasjonstilknytning",
        "redirect_uris": [f"{base_url}/callback"],
        "post_logout_redirect_uris": [f"{base_url}/logged-out"],
    }
