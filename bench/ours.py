"""Our provider as a deployment runs it: `ansattporten serve --config FILE --workers N`
with a generated settings file (the bench client, the Altinn source pointed at the
mock). Everything else is left at its default, except the per-minute rate limits: all
of the benchmark's traffic comes from one address and one client, so the limits are
raised far above what it sends. Limiting stays on, so its cost (a counter upsert per
login POST and back-channel request) is measured."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from ansattporten.settings import Settings
from bench import config
from bench.config import Setup
from bench.processes import Server, StartError, free_port, start_server


def _toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


RAISED_LIMITS = {
    "login_attempts_per_minute": 10_000_000,
    "token_requests_per_minute": 10_000_000,
    "authorize_requests_per_minute": 10_000_000,
    "logins_per_client_per_minute": 10_000_000,
}
"""Settings this checkout may or may not have (only known keys are written: the
settings file refuses unknown ones)."""


def raised_limits() -> list[str]:
    known = set(Settings.__struct_fields__)
    return [f"{key} = {value}" for key, value in RAISED_LIMITS.items() if key in known]


def settings_toml(
    issuer: str, database_url: str, altinn_url: str, extra: Sequence[str] = ()
) -> str:
    """`extra`: further top-level lines (`key = value`), e.g. the soak's short lifetimes."""
    return "\n".join(
        [
            f"issuer = {_toml_string(issuer)}",
            f"database_url = {_toml_string(database_url)}",
            *raised_limits(),
            *extra,
            "",
            "[[clients]]",
            f"client_id = {_toml_string(config.CLIENT_ID)}",
            f"client_secret = {_toml_string(config.CLIENT_SECRET)}",
            f"redirect_uris = [{_toml_string(config.REDIRECT_URI)}]",
            'token_endpoint_auth_method = "client_secret_basic"',
            'grant_types = ["authorization_code", "refresh_token"]',
            "",
            "[sources.altinn]",
            f"base_url = {_toml_string(altinn_url)}",
            "",
        ]
    )


def migrate(settings: Path) -> None:
    """`ansattporten db upgrade` first, the deployment step for several instances: with
    `auto_migrate` alone, two workers starting on an empty PostgreSQL database race
    each other creating the schema and one fails."""
    done = subprocess.run(
        [str(config.VENV_BIN / "ansattporten"), "db", "upgrade", "--config", str(settings)],
        cwd=config.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise StartError(f"db upgrade failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def start_ours(
    setup: Setup,
    altinn_url: str,
    database_url: str,
    workdir: Path,
    log_dir: Path,
    extra_settings: Sequence[str] = (),
) -> Server:
    def command(port: int, settings: Path) -> list[str]:
        return [
            str(config.VENV_BIN / "ansattporten"),
            "serve",
            "--config",
            str(settings),
            "--port",
            str(port),
            "--workers",
            str(setup.workers),
        ]

    return start_provider(
        setup.short,
        command,
        altinn_url,
        database_url,
        workdir,
        log_dir,
        ready_log=lambda log: log.count("Application startup complete") >= setup.workers,
        extra_settings=extra_settings,
    )


Command = Callable[[int, Path], list[str]]
"""(port, settings file) -> the command that serves the provider on that port."""


def start_provider(
    name: str,
    command: Command,
    altinn_url: str,
    database_url: str,
    workdir: Path,
    log_dir: Path,
    ready_log: Callable[[str], bool] | None = None,
    extra_settings: Sequence[str] = (),
) -> Server:
    """Our provider under `name`, with its own settings file and migrated database, as
    `command` serves it (the `serve` command, another ASGI server, a patched client);
    `ANSATTPORTEN_CONFIG` names the settings for servers that load the app themselves."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = workdir / f"{name}.toml"
    settings.write_text(settings_toml(url, database_url, altinn_url, extra_settings))
    migrate(settings)
    return start_server(
        name,
        command(port, settings),
        url=url,
        ready_path="/health",
        log_dir=log_dir,
        cwd=config.REPO,
        env={"ANSATTPORTEN_CONFIG": str(settings)},
        ready_log=ready_log,
    )


def sqlite_url(workdir: Path, setup: Setup) -> str:
    return f"sqlite:///{workdir / (setup.short + '.db')}"
