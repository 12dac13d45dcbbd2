"""`ansattporten serve` as an operator starts it: a separate process with a settings
file, on a loopback port, stopped with SIGTERM at the end of the block."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx

from tests.support.cli import CONSOLE_SCRIPT
from tests.support.provider import FIXTURES
from tests.support.servers import free_port


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def settings_file(folder: Path, top_level: Mapping[str, Any], *, clients: bool = True) -> Path:
    """Top-level keys, then the test clients of tests/fixtures/provider.toml."""
    lines = [f"{key} = {toml_value(value)}" for key, value in top_level.items()]
    text = "\n".join(lines) + "\n\n"
    if clients:
        text += (FIXTURES / "provider.toml").read_text(encoding="utf-8")
    path = folder / f"settings-{len(list(folder.glob('settings-*.toml')))}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def provider_settings_file(folder: Path, port: int, **more: Any) -> Path:
    """Settings for a provider on `port` (its issuer) with a SQLite file in `folder`."""
    return settings_file(
        folder,
        {
            "issuer": f"http://127.0.0.1:{port}",
            "database_url": f"sqlite:///{folder / 'ansattporten.db'}",
            **more,
        },
    )


def ansattporten_command() -> list[str]:
    if CONSOLE_SCRIPT.exists():
        return [str(CONSOLE_SCRIPT)]
    return [sys.executable, "-c", "from ansattporten.cli import main; main()"]


def serve_command(config: Path, port: int, *more: str) -> list[str]:
    return [*ansattporten_command(), "serve", "--config", str(config), "--port", str(port), *more]


def clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("ANSATTPORTEN_")}


@contextlib.contextmanager
def served(config: Path, port: int | None = None, *more: str) -> Iterator[str]:
    """Run `ansattporten serve`; yields its base URL once /health answers."""
    port = port or free_port()
    log = config.with_suffix(f".{port}.log")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            serve_command(config, port, *more),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=clean_environment(),
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base_url, process, log)
        yield base_url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_for_health(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited {process.returncode}: {log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"serve did not answer /health: {log.read_text()[-2000:]}")
