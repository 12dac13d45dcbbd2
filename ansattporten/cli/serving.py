"""How the `ansattporten` command starts a uvicorn server: uvicorn's own `Config` and
`Server` with the project's protocol (`cli/http_protocol.py`: uvicorn's httptools
protocol with limits on request heads and one write per response) and the `[server]`
limits of the settings."""

from __future__ import annotations

import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess

from ansattporten.cli.http_protocol import ServedProtocol
from ansattporten.server_settings import ServerSettings


class ServerConfig(uvicorn.Config):
    """uvicorn's `Config`, serving through `ServedProtocol` with `limits`; pickled to
    worker processes with the rest of the config."""

    def __init__(self, app: Any, *, limits: ServerSettings | None = None, **kwargs: Any) -> None:
        super().__init__(app, http=ServedProtocol, **kwargs)
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
