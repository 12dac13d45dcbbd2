"""Slow and oversized requests against the servers the `ansattporten` command starts,
run as an operator runs them (separate processes) and probed with raw sockets (the
probes of `python -m bench servers`): heads over a limit are answered 431 or 414 by the
server itself and never reach the application (which would answer 404), a head sent too
slowly is answered 408, and a connection that sends nothing is closed.

`serve` is probed with its settings' `[server]` table (a short header timeout keeps the
slow probes short); every other command (the mocks, employer-rules, the demo) with the
defaults.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ansattporten.cli.demo_settings import DemoPorts, maskinporten_clients
from authz_sources.altinn.mock import DEMO_FIXTURE as ALTINN_FIXTURE
from authz_sources.hpr.mock import DEMO_FIXTURE as HPR_FIXTURE
from bench.server_limits import (
    MISSING,
    big_header,
    many_headers,
    one_request,
    request,
    requests_per_connection,
    seconds_until_closed,
)
from tests.integration.cli.test_employer_rules_command import settings_file
from tests.support.cli import CONSOLE_SCRIPT
from tests.support.servers import free_port

KIB = 1024
SLOW_FIRST = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
DRIP = b"X-Slow: " + b"a" * 64
PROVIDER = """
issuer = "http://127.0.0.1:{port}"
database_url = "sqlite:///{folder}/provider.db"

[server]
header_timeout_seconds = 1.5
{extra}
"""


def command(*args: str) -> list[str]:
    if CONSOLE_SCRIPT.exists():
        return [str(CONSOLE_SCRIPT), *args]
    return [sys.executable, "-c", "from ansattporten.cli import main; main()", *args]


@contextlib.contextmanager
def running(args: list[str], port: int) -> Iterator[int]:
    """The command serving on `port` (once anything answers there) until the block ends."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ANSATTPORTEN_")}
    process = subprocess.Popen(
        command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            _, errors = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            _, errors = process.communicate()
    assert "Traceback" not in errors, errors[-3000:]


def serve(folder: Path, *options: str, extra: str = "") -> contextlib.AbstractContextManager[int]:
    port = free_port()
    config = folder / "provider.toml"
    config.write_text(PROVIDER.format(port=port, folder=folder, extra=extra))
    return running(["serve", "--config", str(config), "--port", str(port), *options], port)


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with serve(tmp_path_factory.mktemp("serve")) as port:
        yield port


def seconds(outcome: str) -> int:
    found = re.search(r"after (\d+) s", outcome)
    assert found, outcome
    return int(found.group(1))


async def test_header_lines_over_the_limit_are_431(provider: int) -> None:
    assert await one_request(provider, request(MISSING, big_header(8 * KIB))) == "404"
    assert await one_request(provider, request(MISSING, big_header(17 * KIB))) == "431"


async def test_headers_over_the_total_are_431(provider: int) -> None:
    three = b"".join(b"X-H%d: " % i + b"a" * 15 * KIB + b"\r\n" for i in range(3))
    five = b"".join(b"X-H%d: " % i + b"a" * 15 * KIB + b"\r\n" for i in range(5))
    assert await one_request(provider, request(MISSING, three)) == "404"
    assert await one_request(provider, request(MISSING, five)) == "431"


async def test_a_mebibyte_of_headers_is_refused_not_read(provider: int) -> None:
    assert await one_request(provider, request(MISSING, big_header(1024 * KIB))) == "431"


async def test_more_than_100_headers_are_431(provider: int) -> None:
    # `request` adds Host: 99 more make 100 header lines, 100 more make 101
    assert await one_request(provider, request(MISSING, many_headers(99))) == "404"
    assert await one_request(provider, request(MISSING, many_headers(100))) == "431"
    assert await one_request(provider, request(MISSING, many_headers(10_000))) == "431"


async def test_urls_over_the_limit_are_414(provider: int) -> None:
    # the picker's own address with 1000 chosen organisations is about 19 KiB
    assert await one_request(provider, request(f"{MISSING}?pad={'a' * 20 * KIB}")) == "404"
    assert await one_request(provider, request(f"{MISSING}?pad={'a' * 40 * KIB}")) == "414"
    assert await one_request(provider, request(f"{MISSING}?pad={'a' * 1024 * KIB}")) == "414"


async def test_a_head_sent_a_byte_a_second_is_408(provider: int) -> None:
    outcome = await seconds_until_closed(provider, SLOW_FIRST, DRIP, cap=20)
    assert outcome.startswith("answered 408 after"), outcome
    assert seconds(outcome) <= 4


async def test_a_connection_that_sends_nothing_is_closed(provider: int) -> None:
    outcome = await seconds_until_closed(provider, b"", None, cap=20)
    assert outcome.startswith("closed after"), outcome
    assert seconds(outcome) <= 4


async def test_a_trickle_on_a_kept_alive_connection_is_408(provider: int) -> None:
    # one whole request and the start of the next, whose headers then come a byte a second
    first = request() + SLOW_FIRST
    outcome = await seconds_until_closed(provider, first, DRIP, cap=20, read_answer=True)
    assert outcome.startswith("answered 408 after"), outcome
    assert seconds(outcome) <= 5


async def test_ordinary_requests_are_answered(provider: int) -> None:
    assert await one_request(provider, request()) == "200"
    assert await requests_per_connection(provider) == "closed after 100"


async def test_the_workers_get_the_settings_limits(tmp_path: Path) -> None:
    with serve(tmp_path, "--workers", "2", extra="max_headers = 20") as port:
        for _ in range(4):  # each connection lands on either worker
            assert await one_request(port, request(MISSING, many_headers(18))) == "404"
            assert await one_request(port, request(MISSING, many_headers(25))) == "431"


def free_demo_base() -> int:
    """A base port whose demo ports are all free now."""
    for _ in range(50):
        base = free_port()
        if base > 60000:
            continue
        ports = DemoPorts.from_base(base)
        try:
            with contextlib.ExitStack() as stack:
                for port in dataclasses.astuple(ports):
                    probe = stack.enter_context(socket.socket())
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free block of demo ports")


def other_command(name: str, folder: Path) -> tuple[list[str], list[int]]:
    """The arguments of another server-starting command, and the ports to probe."""
    port = free_port()
    if name == "mock-altinn":
        return ["mock-altinn", "--fixtures", str(ALTINN_FIXTURE), "--port", str(port)], [port]
    if name == "mock-hpr":
        return ["mock-hpr", "--fixtures", str(HPR_FIXTURE), "--port", str(port)], [port]
    if name == "mock-maskinporten":
        clients = folder / "maskinporten-clients.json"
        clients.write_text(json.dumps(maskinporten_clients(folder)))
        return ["mock-maskinporten", "--clients", str(clients), "--port", str(port)], [port]
    if name in ("mock-idporten", "mock-entra"):
        return [name, "--port", str(port)], [port]
    if name == "employer-rules":
        config = settings_file(folder, port)
        return ["employer-rules", "--config", str(config), "--port", str(port)], [port]
    base = free_demo_base()
    ports = DemoPorts.from_base(base)
    demo = ["demo", "--port", str(base), "--data-dir", str(folder / "demo")]
    return demo, [ports.provider, ports.employee_service, ports.altinn, ports.maskinporten]


@pytest.mark.parametrize(
    "name",
    ["mock-altinn", "mock-hpr", "mock-maskinporten", "mock-idporten", "mock-entra",
     "employer-rules", "demo"],
)  # fmt: skip
async def test_every_server_the_command_starts_has_the_limits(tmp_path: Path, name: str) -> None:
    args, ports = other_command(name, tmp_path)
    with running(args, ports[0]):
        for port in ports:
            assert await one_request(port, request(MISSING, big_header(17 * KIB))) == "431", port
            assert await one_request(port, request(MISSING, many_headers(150))) == "431", port
