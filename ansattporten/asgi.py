"""ASGI entry point for process managers and multi-worker servers:
`uvicorn --factory --no-proxy-headers ansattporten.asgi:app_from_environment` with
`ANSATTPORTEN_CONFIG` naming the settings file (environment overrides apply as usual).
`--no-proxy-headers`: uvicorn would otherwise believe `X-Forwarded-For` from 127.0.0.1;
the provider reads forwarded addresses from `trusted_proxies` only."""

from __future__ import annotations

import os
from pathlib import Path

from litestar import Litestar

from ansattporten.app import create_app
from ansattporten.settings import SettingsError, load_settings


def app_from_environment() -> Litestar:
    config = os.environ.get("ANSATTPORTEN_CONFIG")
    settings = load_settings(Path(config) if config else None)
    if not settings.issuer:  # `serve` checks everything before it gets here
        raise SettingsError("setting `issuer` is required: the provider's public https URL")
    return create_app(settings)
