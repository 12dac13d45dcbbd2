"""How the `ansattporten` command starts a uvicorn server: uvicorn's own `Config` and
`Server`, serving through uvicorn's httptools protocol with the settings' `[server]`
limits on request heads added (`cli/head_limits.py`)."""

from __future__ import annotations

import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess

from ansattporten.cli.head_limits import HeadLimitedProtocol
from ansattporten.server_settings import ServerSettings


class ServerConfig(uvicorn.Config):
    """uvicorn's `Config`, serving through `HeadLimitedProtocol` with `limits`; pickled
    to worker processes with the rest of the config."""

    def __init__(self, app: Any, *, limits: ServerSettings | None = None, **kwargs: Any) -> None:
        super().__init__(app, http=HeadLimitedProtocol, **kwargs)
        self.limits = limits or ServerSettings()


def run_server(config: ServerConfig) -> None:
    """`uvicorn.run` for a config built here: one server, or `config.workers` processes
    sharing one socket; exits with uvicorn's start-up failure code if it never started."""
    server = uvicorn.Server(config)
    try:
        if config.workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        else:
            server.run()
    except KeyboardInterrupt:
        pass
    if config.workers == 1 and not server.started:
        sys.exit(STARTUP_FAILURE)
