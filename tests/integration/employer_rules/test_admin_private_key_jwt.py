"""The admin application authenticating to the provider with `private_key_jwt` (a key
file instead of a secret), as a production deployment would; and a provider that is
down gives a page, not a trace."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from joserfc.jwk import ECKey, RSAKey

from employer_rules.app import create_app
from tests.support.admin_login import admin_stack, log_in
from tests.support.employer_rules import people, rules_settings
from tests.support.servers import free_port, free_socket, serve_in_thread


@pytest.mark.parametrize("kind", ["RSA-JWK", "EC-PEM"])
def test_log_in_with_a_private_key(tmp_path: Path, kind: str) -> None:
    if kind == "RSA-JWK":
        key: RSAKey | ECKey = RSAKey.generate_key(2048, parameters={"kid": "admin-1"})
        key_file = tmp_path / "admin-key.json"
        key_file.write_text(json.dumps(key.as_dict(private=True)))
        extra = {}
    else:
        key = ECKey.generate_key("P-256", parameters={"kid": "admin-ec"})
        key_file = tmp_path / "admin-key.pem"
        key_file.write_bytes(key.as_pem(private=True))
        extra = {"private_key_id": "admin-ec"}
    registration = {
        "client_secret": None,
        "token_endpoint_auth_method": "private_key_jwt",
        "jwks": {"keys": [key.as_dict(private=False)]},
    }
    provider = {"client_secret": None, "private_key_file": str(key_file), **extra}
    with (
        admin_stack(
            f"sqlite:///{tmp_path / 'p.db'}",
            f"sqlite:///{tmp_path / 'r.db'}",
            registration,
            provider=provider,
        ) as stack,
        httpx.Client(timeout=30) as browser,
    ):
        answer = log_in(browser, stack.rules.base_url, people()["innehaver"])
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == "/rules"


def test_the_provider_down_is_a_page(tmp_path: Path) -> None:
    sock = free_socket()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = rules_settings(
        base_url, f"sqlite:///{tmp_path / 'r.db'}", issuer=f"http://127.0.0.1:{free_port()}"
    )
    with serve_in_thread(create_app(settings), sock) as url:
        answer = httpx.get(f"{url}/login")
    assert answer.status_code == 503
    assert 'data-message="provider_unavailable"' in answer.text
    assert "Traceback" not in answer.text
