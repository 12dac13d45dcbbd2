"""`ansattporten employer-rules --config FILE --port P`, run as an operator would: it
serves with a settings file whose data files sit beside it, and a mistake in the
settings, a data file or the database is one clear line and exit code 2."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.support.cli import CONSOLE_SCRIPT, run_cli
from tests.support.employer_rules import API_TOKEN, FIXTURES
from tests.support.servers import free_port

SETTINGS = """
base_url = "http://127.0.0.1:{port}"
database_url = "sqlite:///{folder}/rules.db"
organisations_file = "organisations.json"
initial_rules_file = "rules.json"
{extra}

[provider]
issuer = "http://127.0.0.1:9"
client_id = "employer-rules-admin"
client_secret = "a-secret-for-the-admin-client"

[api]
bearer_tokens = ["{token}"]
"""


def settings_file(folder: Path, port: int, extra: str = "") -> Path:
    for name in ("organisations.json", "rules.json"):
        shutil.copy(FIXTURES / name, folder / name)
    path = folder / "employer-rules.toml"
    path.write_text(SETTINGS.format(port=port, folder=folder, extra=extra, token=API_TOKEN))
    return path


def test_the_command_serves_the_api(tmp_path: Path) -> None:
    port = free_port()
    config = settings_file(tmp_path, port)
    command = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [
        sys.executable, "-c", "from ansattporten.cli import main; main()"
    ]  # fmt: skip
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EMPLOYER_RULES_")}
    server = subprocess.Popen(
        [*command, "employer-rules", "--config", str(config), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "the service did not start"
            time.sleep(0.1)
        answer = httpx.post(
            f"http://127.0.0.1:{port}/parties",
            json={
                "type": "ansattporten:orgno",
                "client_id": "x",
                "subject": {"email": "per@oter.example"},
                "detail": {"type": "ansattporten:orgno"},
            },
            headers={"Authorization": f"Bearer {API_TOKEN}"},
        )
        assert answer.status_code == 200, answer.text
        assert [p["id"] for p in answer.json()["parties"]] == ["0192:318610584"]
    finally:
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=20)
    assert "Traceback" not in errors


@pytest.mark.parametrize(
    ("extra", "broken_file", "expected"),
    [
        ("database_url_typo = 1", None, "invalid settings"),
        (
            "",
            ("organisations.json", '{"organisations": [{"orgno": "318610585"}]}'),
            "organisations.json",
        ),
        ("", ("organisations.json", "{"), "organisations.json"),
        (
            "",
            (
                "rules.json",
                '{"rules": [{"orgno": "318610584", "kind": "email", "identifier": "x"}]}',
            ),
            "email_invalid",
        ),
        (
            "",
            (
                "rules.json",
                '{"rules": [{"orgno": "974760673", "kind": "domain", "identifier": "x.no"}]}',
            ),
            "974760673",
        ),
        ("auto_migrate = false", None, "schema is behind"),
    ],
)
def test_mistakes_are_one_line_and_exit_code_2(
    tmp_path: Path, extra: str, broken_file: tuple[str, str] | None, expected: str
) -> None:
    config = settings_file(tmp_path, free_port(), extra)
    if broken_file is not None:
        (tmp_path / broken_file[0]).write_text(broken_file[1])
    done = run_cli("employer-rules", "--config", str(config), "--port", str(free_port()))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout.startswith("error: "), done.stdout
    assert expected in done.stdout, done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert "a-secret-for-the-admin-client" not in done.stdout + done.stderr


def test_a_missing_settings_file(tmp_path: Path) -> None:
    done = run_cli("employer-rules", "--config", str(tmp_path / "nothing.toml"))
    assert done.returncode == 2
    assert "cannot read settings file" in done.stdout


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(
            lambda folder: (folder / "rules.db").write_bytes(b"x" * 4096), id="not-sqlite"
        ),
        pytest.param(lambda folder: (folder / "rules.db").mkdir(), id="a-folder"),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line(
    tmp_path: Path, spoil: Callable[[Path], object]
) -> None:
    config = settings_file(tmp_path, free_port())
    spoil(tmp_path)
    done = run_cli("employer-rules", "--config", str(config), "--port", str(free_port()))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout.startswith("error: the database cannot be used: "), done.stdout
    assert "Traceback" not in done.stdout + done.stderr
