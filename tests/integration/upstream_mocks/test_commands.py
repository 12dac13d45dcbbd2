"""`ansattporten mock-idporten` and `mock-entra` start a server from the command line,
and refuse a bad fixture with a one-line message (no traceback)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.cli import CONSOLE_SCRIPT, run_cli
from tests.support.servers import free_port


def command() -> list[str]:
    if CONSOLE_SCRIPT.exists():
        return [str(CONSOLE_SCRIPT)]
    return [sys.executable, "-c", "from ansattporten.cli import main; main()"]


@pytest.mark.parametrize(
    ("sub_command", "discovery"),
    [
        ("mock-idporten", "/.well-known/openid-configuration"),
        ("mock-entra", "/organizations/v2.0/.well-known/openid-configuration"),
    ],
)
def test_the_command_serves_the_mock(sub_command: str, discovery: str) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*command(), sub_command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if not k.startswith("ANSATTPORTEN_")},
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}{discovery}", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, "the mock exited"
                assert time.monotonic() < deadline, "the mock did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["issuer"].startswith(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert process.stdout is not None
        process.stdout.close()


@pytest.mark.parametrize(
    ("sub_command", "option"), [("mock-idporten", "--people"), ("mock-entra", "--tenants")]
)
def test_a_bad_fixture_is_refused_with_a_message(
    tmp_path: Path, sub_command: str, option: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"clients": [{"client_id": "x"}]', encoding="utf-8")
    done = run_cli(sub_command, option, str(bad), "--port", str(free_port()))
    assert done.returncode == 2
    assert done.stdout.startswith("error: ")
    assert "Traceback" not in done.stdout + done.stderr
