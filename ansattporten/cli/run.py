"""Sub-commands that run servers: the provider, the demo, and the mock registers."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import Any

import uvicorn

from ansattporten.app import create_app
from ansattporten.cli.demo_settings import AGENCY_TOKEN, CLIENTS, DemoPorts, demo_settings
from ansattporten.cli.http_protocol import CoalescingHttpToolsProtocol
from ansattporten.cli.start_checks import check_before_serving
from ansattporten.settings import SettingsError, load_settings

HTTP = CoalescingHttpToolsProtocol
"""Every server started here answers through it (see `http_protocol`)."""
SERVER: dict[str, Any] = {"access_log": False, "http": HTTP, "proxy_headers": False}
"""uvicorn options of every server started here. `proxy_headers=False`: uvicorn would
believe `X-Forwarded-For` from 127.0.0.1 by default, so behind a local proxy that passes
the client's header on, every client could choose its own address (and its rate-limit
budget). The provider reads forwarded addresses only from `trusted_proxies`
(`web/client_address`)."""


def serve(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args.config)
        check_before_serving(settings)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level)
    if args.workers > 1:
        if args.config:
            os.environ["ANSATTPORTEN_CONFIG"] = str(args.config.resolve())
        uvicorn.run(
            "ansattporten.asgi:app_from_environment",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            **SERVER,
        )
    else:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, **SERVER)
    return 0


def mock_altinn(args: argparse.Namespace) -> int:
    from authz_sources.altinn.mock import create_mock_app

    app = create_mock_app(args.fixtures, delay_ms=args.delay_ms)
    uvicorn.run(app, host=args.host, port=args.port, **SERVER)
    return 0


def mock_hpr(args: argparse.Namespace) -> int:
    from authz_sources.hpr.mock import create_mock_app

    app = create_mock_app(args.fixtures, delay_ms=args.delay_ms)
    uvicorn.run(app, host=args.host, port=args.port, **SERVER)
    return 0


def demo(args: argparse.Namespace) -> int:
    """Everything on one machine in one process: the mock registers, the provider and the
    example services, each on its own port, talking real HTTP to each other."""
    logging.basicConfig(level="INFO")
    ports = DemoPorts.from_base(args.port)
    settings = demo_settings(args.host, ports, args.data_dir)
    apps = demo_apps(args.host, ports, settings)
    print_demo_urls(args.host, ports)
    asyncio.run(serve_all(args.host, apps))
    return 0


def demo_apps(host: str, ports: DemoPorts, settings: Any) -> dict[int, Any]:
    from authz_sources.altinn.mock import DEMO_FIXTURE as ALTINN_DEMO
    from authz_sources.altinn.mock import create_mock_app as altinn_mock
    from authz_sources.hpr.mock import DEMO_FIXTURE as HPR_DEMO
    from authz_sources.hpr.mock import create_mock_app as hpr_mock
    from examples.agency_register.app import create_agency_register
    from examples.employee_service.app import create_employee_service
    from examples.example_api.app import create_example_api
    from examples.health_service.app import create_health_service

    issuer = ports.url(host, "provider")

    def registration(name: str) -> dict[str, Any]:
        client = CLIENTS[name]
        return {
            "issuer": issuer,
            "base_url": ports.url(host, client.port),
            "client_id": client.client_id,
            "client_secret": client.client_secret,
        }

    return {
        ports.altinn: altinn_mock(ALTINN_DEMO),
        ports.hpr: hpr_mock(HPR_DEMO),
        ports.agency_register: create_agency_register(token=AGENCY_TOKEN),
        ports.provider: create_app(settings),
        ports.api: create_example_api(issuer=issuer),
        ports.employee_service: create_employee_service(
            **registration("employee"), api_url=f"{ports.url(host, 'api')}/api/organisations"
        ),
        ports.health_service: create_health_service(**registration("health")),
        ports.agency_service: create_employee_service(
            **registration("agency"),
            details=[{"type": "myagency:role"}],
            title="Etatens tjeneste (eksempel)",
        ),
    }


DEMO_URLS = [  # (label, DemoPorts attribute, what follows the URL)
    ("provider (issuer)", "provider", ""),
    ("discovery", "provider", "/.well-known/openid-configuration"),
    ("employee service", "employee_service", "   <- open this first"),
    ("health service (HPR)", "health_service", ""),
    ("agency service", "agency_service", ""),
    ("example API", "api", "/api/organisations"),
    ("agency register", "agency_register", "/health"),
    ("mock Altinn", "altinn", ""),
    ("mock HPR", "hpr", ""),
]


def print_demo_urls(host: str, ports: DemoPorts) -> None:
    lines = [f"  {label:<22} {ports.url(host, name)}{path}" for label, name, path in DEMO_URLS]
    print(
        "\nAnsattporten demo\n" + "\n".join(lines) + "\n"
        "  synthetic people to log in as: see README.md, 'Demo people' and 'Examples'\n",
        flush=True,
    )


async def serve_all(host: str, apps: dict[int, Any]) -> None:
    servers = [
        uvicorn.Server(uvicorn.Config(app, host=host, port=port, **SERVER))
        for port, app in apps.items()
    ]
    await asyncio.gather(*(server.serve() for server in servers))
