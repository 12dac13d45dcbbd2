"""The uvicorn command line the bench's bare applications share (the step-timed
provider, the floor page, the floor login): the settings `ansattporten serve` runs with
(uvloop, httptools, one worker, no access log, and no proxy-headers middleware:
`ansattporten serve` turns it off and reads forwarded addresses itself)."""

from __future__ import annotations

from bench import config


def uvicorn_serving(app: str) -> list[str]:
    """`uvicorn APP` on 127.0.0.1 with those settings; the caller adds `--port`."""
    return [
        *(str(config.VENV_BIN / "uvicorn"), app, "--host", "127.0.0.1"),
        *("--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "info"),
        "--no-proxy-headers",
    ]
