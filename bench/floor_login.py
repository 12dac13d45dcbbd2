"""Starting the floor login (`bench.floor_login_app`) for the paired benchmark: uvicorn
with the settings of `ansattporten serve`, one worker, told its issuer and the mock
Altinn through the environment. It is a yardstick, not a provider: `python -m bench`
runs it only when asked (`--only floor-memory-1`) and only in the paired rounds."""

from __future__ import annotations

from pathlib import Path

from bench import config
from bench.floor_login_app import ALTINN_VARIABLE, DATABASE_VARIABLE, ISSUER_VARIABLE
from bench.processes import Server, free_port, start_server
from bench.uvicorn_command import uvicorn_serving

APP = "bench.floor_login_app:from_environment"

ABOUT = (
    "The floor is not a provider: a bare Litestar application (bench/floor_login_app.py) "
    "on the same uvicorn settings, speaking just enough of the protocol for the same "
    "client to log in: client_secret_basic, PAR, authorize, a login form and a picker "
    "with hidden anti-forgery values and a browser cookie, one authorized-parties call "
    "to the same mock Altinn (aiohttp, msgspec), the code, PKCE S256 and two RS256 "
    "signatures. It keeps everything in three dicts and leaves out what a real provider "
    "such as ours adds: a database, sessions, templates and languages, audit, rate "
    "limits, the second register call when the choice is granted, refresh tokens. Its CPU per "
    "login is the least a login costs on this stack, measured on this host beside the "
    "same node-oidc-provider."
)
"""The paragraph the report shows under the paired table when the floor ran."""

ABOUT_DESIGNED = (
    "The floor as designed (floor-sqlite-1) is the same application with the three "
    "parts our design prescribes and nothing else of the provider: its three tables in "
    "an SQLite file (WAL, synchronous=NORMAL, one statement per change, inline on the "
    "loop, as our store on SQLite), TestID's page and the picker from the provider's "
    "own templates through its Renderer (Jinja, translated), and the register asked "
    "again when the choice is made. What it costs above the floor is what those parts "
    "cost on their own; ours adds sessions, audit, rate limits, validation, languages "
    "and refresh tokens on top."
)
"""Shown when the floor as designed ran."""


def start_floor(
    altinn_url: str, log_dir: Path, name: str = "floor-memory-1", database: Path | None = None
) -> Server:
    """`database`: the SQLite file of the floor as designed (none: the bare floor)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    return start_server(
        name,
        [*uvicorn_serving(APP), "--factory", "--port", str(port)],
        url=url,
        ready_path="/.well-known/openid-configuration",
        log_dir=log_dir,
        cwd=config.REPO,
        env={
            ISSUER_VARIABLE: url,
            ALTINN_VARIABLE: altinn_url,
            DATABASE_VARIABLE: "" if database is None else str(database),
        },
        ready_log=lambda log: "Application startup complete" in log,
    )
