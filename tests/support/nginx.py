"""Debian's nginx in front of the provider, configured from `docs/deploy/nginx.conf`.

The documented file is used as written, with only what a test must change: the
upstream servers become the test's instances, `listen 443 ssl` becomes a plain loopback
port (no certificate in tests), and the paths nginx writes go to the test's folder.
Each change is checked to have found its line, so a change to the documented file that
the test no longer follows fails loudly instead of testing something else.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.servers import free_port

NGINX = Path("/usr/sbin/nginx")
DOCUMENTED = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "nginx.conf"


@dataclass
class RunningNginx:
    base_url: str
    folder: Path

    def logged(self) -> str:
        """Everything nginx has written to its logs so far."""
        return "".join(each.read_text(errors="replace") for each in self.folder.glob("*.log"))


def _replace(pattern: str, replacement: str, text: str, *, count: int = 0) -> str:
    changed, found = re.subn(pattern, replacement, text, count=count, flags=re.M)
    assert found, f"docs/deploy/nginx.conf no longer has {pattern!r}"
    return changed


def derived_config(folder: Path, port: int, upstreams: list[int]) -> str:
    site = DOCUMENTED.read_text(encoding="utf-8")
    servers = "\n".join(
        f"    server 127.0.0.1:{each} max_fails=1 fail_timeout=5s;" for each in upstreams
    )
    site = _replace(
        r"^    server 127\.0\.0\.1:800\d .*;\n(    server 127\.0\.0\.1:800\d .*;\n)*",
        servers + "\n",
        site,
        count=1,
    )
    site = _replace(r"^    listen 443 ssl;$", f"    listen 127.0.0.1:{port};", site)
    site = _replace(r"^    http2 on;\n", "", site)
    site = _replace(r"^    ssl_certificate.*\n", "", site)
    if "/var/log/nginx/" in site:
        site = _replace(r"/var/log/nginx/", f"{folder}/", site)
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
user root;
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
{temp}
    access_log {folder}/access.log;
{site}
}}
"""


@contextlib.contextmanager
def run_nginx(
    folder: Path, upstreams: list[int], port: int | None = None
) -> Iterator[RunningNginx]:
    """nginx on a loopback port (a free one unless given) in front of the given provider
    ports."""
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    config = folder / "nginx.conf"
    config.write_text(derived_config(folder, port, upstreams), encoding="utf-8")
    check = subprocess.run(
        [str(NGINX), "-t", "-c", str(config)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [str(NGINX), "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError((folder / "error.log").read_text(errors="replace")[-2000:])
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
        yield RunningNginx(base_url, folder)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
