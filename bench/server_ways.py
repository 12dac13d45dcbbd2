"""The ASGI servers `python -m bench servers` serves the provider with: one worker
process each, on SQLite, settings otherwise at their defaults.

- ours: `ansattporten serve` as shipped (uvicorn, uvloop, httptools, with the limits on
  request heads of `ansattporten/cli/head_limits.py`)
- uvicorn: the same uvicorn, uvloop and httptools, without the limits
- granian: Rust's hyper under an ASGI interface, uvloop; and granian-http1, the same
  trimmed to HTTP/1.1 without websockets on a single-threaded runtime
- hypercorn: h11 (HTTP/1.1) on uvloop

Not here: daphne (Django's server) does not run the ASGI lifespan protocol, and the
provider opens its store and sources at lifespan start-up, so under daphne every
request fails (tried with daphne 4.2.3: `/health` answered 500).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bench import config
from bench.turns import Way

APP = "bench.served_app:app"


def _bin(name: str) -> str:
    return str(config.VENV_BIN / name)


def ours(port: int, settings: Path) -> list[str]:
    return [_bin("ansattporten"), "serve", "--config", str(settings), "--port", str(port)]


def uvicorn(port: int, _settings: Path) -> list[str]:
    return [
        *(_bin("uvicorn"), APP, "--host", "127.0.0.1", "--port", str(port)),
        *("--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "info"),
    ]


def granian(port: int, _settings: Path) -> list[str]:
    return [
        *(_bin("granian"), "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port)),
        *("--workers", "1", "--loop", "uvloop", "--no-access-log", APP),
    ]


def granian_http1(port: int, settings: Path) -> list[str]:
    """granian trimmed to what the provider uses: HTTP/1.1 only, no websockets, a
    single-threaded Rust runtime (one worker has one event loop to feed)."""
    return [*granian(port, settings)[:-1], "--http", "1", "--no-ws", "--runtime-mode", "st", APP]


def hypercorn(port: int, _settings: Path) -> list[str]:
    return [_bin("hypercorn"), "-k", "uvloop", "-b", f"127.0.0.1:{port}", "-w", "1", APP]


WAYS = {
    "ours": Way(
        "ours", "ansattporten serve (uvicorn, uvloop, httptools, cli/head_limits.py)", ours
    ),
    "uvicorn": Way("uvicorn", "uvicorn, uvloop, httptools", uvicorn),
    "granian": Way("granian", "granian --interface asgi --loop uvloop", granian),
    "granian-http1": Way(
        "granian-http1", "granian as above, --http 1 --no-ws --runtime-mode st", granian_http1
    ),
    "hypercorn": Way("hypercorn", "hypercorn -k uvloop", hypercorn),
}

MODULES = {"granian": "granian", "granian-http1": "granian", "hypercorn": "hypercorn"}


def installed(name: str) -> bool:
    module = MODULES.get(name)
    return module is None or importlib.util.find_spec(module) is not None
