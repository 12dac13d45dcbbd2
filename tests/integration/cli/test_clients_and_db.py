"""`ansattporten clients add|list|remove` and `db upgrade`, run as an operator would,
and a client added from the command line can log someone in."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.cli import run_cli, write_settings
from tests.support.login_driver import CLIENTS, LoginDriver
from tests.support.provider import run_provider


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    settings = write_settings(tmp_path, f"sqlite:///{tmp_path / 'fresh.db'}")
    done = run_cli("db", "upgrade", "--config", str(settings))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fresh.db").exists()
    again = run_cli("db", "upgrade", "--config", str(settings))
    assert again.returncode == 0, again.stderr


def test_add_list_remove_and_use_a_client(tmp_path: Path, testid_people: dict[str, str]) -> None:
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    settings = write_settings(tmp_path, database)
    added = run_cli(
        "clients",
        "add",
        "cli-service",
        "--redirect-uri",
        "http://cli.test/callback",
        "--name",
        "Kommandolinjetjeneste",
        "--config",
        str(settings),
    )
    assert added.returncode == 0, added.stderr
    secret = re.search(r"client_secret: (\S+)", added.stdout)
    assert secret is not None, added.stdout

    listed = run_cli("clients", "list", "--config", str(settings))
    assert "cli-service\tclient_secret_basic\thttp://cli.test/callback" in listed.stdout
    assert secret.group(1) not in listed.stdout  # the secret is stored hashed only

    CLIENTS["cli-service"] = (secret.group(1), "http://cli.test/callback", "client_secret_basic")
    try:
        with run_provider(database, {"clients": [], "rate_limit": False}) as provider:
            driver = LoginDriver(provider.base_url, client_id="cli-service")
            try:
                code = driver.login_for_code(testid_people["plain_employee"])
                assert driver.redeem(code).status_code == 200
            finally:
                driver.close()
    finally:
        del CLIENTS["cli-service"]

    removed = run_cli("clients", "remove", "cli-service", "--config", str(settings))
    assert removed.returncode == 0, removed.stderr
    assert "cli-service" not in run_cli("clients", "list", "--config", str(settings)).stdout
    missing = run_cli("clients", "remove", "cli-service", "--config", str(settings))
    assert missing.returncode == 1


def test_a_bad_redirect_uri_is_refused(tmp_path: Path) -> None:
    settings = write_settings(tmp_path, f"sqlite:///{tmp_path / 'bad.db'}")
    refused = run_cli(
        "clients",
        "add",
        "bad",
        "--redirect-uri",
        "cli.test/no-scheme",
        "--config",
        str(settings),
    )
    assert refused.returncode == 2
    assert "redirect_uri" in refused.stdout
