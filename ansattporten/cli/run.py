"""Sub-commands that run servers: the provider, the demo, and the mock registers."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from typing import Any

import uvicorn

from ansattporten.app import create_app
from ansattporten.cli.demo_settings import DemoPorts, demo_settings
from ansattporten.settings import SettingsError, load_settings


def serve(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"error: {exc}")
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
            access_log=False,
        )
    else:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, access_log=False)
    return 0


def mock_altinn(args: argparse.Namespace) -> int:
    from authz_sources.altinn.mock import create_mock_app

    app = create_mock_app(args.fixtures, delay_ms=args.delay_ms)
    uvicorn.run(app, host=args.host, port=args.port, access_log=False)
    return 0


def mock_hpr(args: argparse.Namespace) -> int:
    from authz_sources.hpr.mock import create_mock_app

    app = create_mock_app(args.fixtures, delay_ms=args.delay_ms)
    uvicorn.run(app, host=args.host, port=args.port, access_log=False)
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
    from examples.employee_service.app import create_employee_service

    issuer = f"http://{host}:{ports.provider}"
    return {
        ports.altinn: altinn_mock(ALTINN_DEMO),
        ports.hpr: hpr_mock(HPR_DEMO),
        ports.provider: create_app(settings),
        ports.employee_service: create_employee_service(
            issuer=issuer,
            base_url=f"http://{host}:{ports.employee_service}",
            client_id="demo-employee-service",
            client_secret="demo-employee-secret",
        ),
    }


def print_demo_urls(host: str, ports: DemoPorts) -> None:
    print(
        "\nAnsattporten demo\n"
        f"  provider (issuer)      http://{host}:{ports.provider}\n"
        f"  discovery              http://{host}:{ports.provider}/.well-known/openid-configuration\n"
        f"  employee service       http://{host}:{ports.employee_service}   <- open this\n"
        f"  mock Altinn            http://{host}:{ports.altinn}\n"
        f"  mock HPR               http://{host}:{ports.hpr}\n"
        "  synthetic people to log in as: see README.md, 'Demo people'\n",
        flush=True,
    )


async def serve_all(host: str, apps: dict[int, Any]) -> None:
    servers = [
        uvicorn.Server(uvicorn.Config(app, host=host, port=port, access_log=False))
        for port, app in apps.items()
    ]
    await asyncio.gather(*(server.serve() for server in servers))
