"""Sub-commands that run servers: the provider, the demo, the mock registers and the
mock upstream eIDs."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
from pathlib import Path
from typing import Any

import uvicorn

from ansattporten.app import create_app
from ansattporten.cli.demo_settings import (
    AGENCY_TOKEN,
    CLIENTS,
    EMPLOYEE_ACR_VALUES,
    DemoPorts,
    demo_settings,
    employer_rules_settings,
    maskinporten_clients,
    maskinporten_issuer,
    upstream_fixture,
)
from ansattporten.cli.serving import ServerConfig, run_server
from ansattporten.cli.start_checks import check_before_serving
from ansattporten.settings import SettingsError, load_settings


def serve(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args.config)
        check_before_serving(settings)
    except SettingsError as exc:
        print(f"error: {exc}")
        return 2
    logging.basicConfig(level=settings.log_level)
    if args.workers > 1:
        if args.config:
            os.environ["ANSATTPORTEN_CONFIG"] = str(args.config.resolve())
        run_server(
            ServerConfig(
                "ansattporten.asgi:app_from_environment",
                factory=True,
                host=args.host,
                port=args.port,
                workers=args.workers,
                access_log=False,
                limits=settings.server,
            )
        )
    else:
        run_server(
            ServerConfig(
                create_app(settings),
                host=args.host,
                port=args.port,
                access_log=False,
                limits=settings.server,
            )
        )
    return 0


def mock_altinn(args: argparse.Namespace) -> int:
    from authz_sources.altinn.mock import create_mock_app
    from authz_sources.altinn.mock_auth import MaskinportenGate

    gate = (
        MaskinportenGate(
            args.maskinporten_issuer, accept_maskinporten_tokens=args.accept_maskinporten_tokens
        )
        if args.maskinporten_issuer
        else None
    )
    try:
        app = create_mock_app(args.fixtures, delay_ms=args.delay_ms, gate=gate, admin=args.admin)
    except ValueError as exc:
        print(f"error: {exc}")
        return 2
    run_server(ServerConfig(app, host=args.host, port=args.port, access_log=False))
    return 0


def mock_hpr(args: argparse.Namespace) -> int:
    from authz_sources.hpr.mock import create_mock_app

    app = create_mock_app(args.fixtures, delay_ms=args.delay_ms)
    run_server(ServerConfig(app, host=args.host, port=args.port, access_log=False))
    return 0


def mock_idporten(args: argparse.Namespace) -> int:
    from ansattporten.upstream_mocks.fixture_files import FixtureError
    from ansattporten.upstream_mocks.idporten.app import create_idporten_mock
    from ansattporten.upstream_mocks.idporten.fixture import DEMO_FIXTURE

    issuer = args.issuer or f"http://{args.host}:{args.port}"
    try:
        mock = create_idporten_mock(args.people or DEMO_FIXTURE, issuer=issuer)
    except FixtureError as exc:
        print(f"error: {exc}")
        return 2
    print(f"mock ID-porten: issuer {mock.issuer}", flush=True)
    run_server(ServerConfig(mock.app, host=args.host, port=args.port, access_log=False))
    return 0


def mock_entra(args: argparse.Namespace) -> int:
    from ansattporten.upstream_mocks.entra.app import create_entra_mock
    from ansattporten.upstream_mocks.entra.fixture import DEMO_FIXTURE
    from ansattporten.upstream_mocks.fixture_files import FixtureError

    base_url = args.base_url or f"http://{args.host}:{args.port}"
    try:
        mock = create_entra_mock(args.tenants or DEMO_FIXTURE, base_url=base_url)
    except FixtureError as exc:
        print(f"error: {exc}")
        return 2
    print(
        f"mock Entra ID: {mock.base_url}/common/v2.0/.well-known/openid-configuration",
        flush=True,
    )
    run_server(ServerConfig(mock.app, host=args.host, port=args.port, access_log=False))
    return 0


def employer_rules(args: argparse.Namespace) -> int:
    """The employer-rules service (package `employer_rules`): its settings and data
    files are checked and its database prepared before it listens, so a mistake is one
    line on the terminal, not a traceback."""
    from employer_rules.admin.client_assertion import KeyFileError
    from employer_rules.app import create_app as create_rules_app
    from employer_rules.settings import SettingsError
    from employer_rules.settings import load_settings as load_rules_settings
    from employer_rules.startup import StartupError, check_files, prepare

    try:
        settings = load_rules_settings(args.config)
        check_files(settings)
        app = create_rules_app(settings, prepared=True)
        asyncio.run(prepare(settings))
    except (SettingsError, StartupError, KeyFileError) as exc:
        print(f"error: {exc}")
        return 2
    logging.basicConfig(level=settings.log_level)
    run_server(ServerConfig(app, host=args.host, port=args.port, access_log=False))
    return 0


def demo(args: argparse.Namespace) -> int:
    """Everything on one machine in one process: the mock registers, the provider and the
    example services, each on its own port, talking real HTTP to each other."""
    logging.basicConfig(level="INFO")
    ports = DemoPorts.from_base(args.port)
    settings = demo_settings(args.host, ports, args.data_dir)
    apps = demo_apps(args.host, ports, settings)
    apps.update(demo_maskinporten(args.host, ports, args.data_dir))
    apps.update(demo_upstreams(args.host, ports))
    apps.update(demo_employer_rules(args.host, ports, args.data_dir))
    print_demo_urls(args.host, ports)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C stops the demo, no traceback
        asyncio.run(serve_all(args.host, apps))
    return 0


def demo_maskinporten(host: str, ports: DemoPorts, data_dir: Path) -> dict[int, Any]:
    """The mock Maskinporten, and the mock Altinn in front of it requiring exchanged
    tokens, as the real pair works (replaces the open mock Altinn of `demo_apps`)."""
    from authz_sources.altinn.mock import DEMO_FIXTURE as ALTINN_DEMO
    from authz_sources.altinn.mock import create_mock_app as altinn_mock
    from authz_sources.altinn.mock_auth import MaskinportenGate
    from authz_sources.maskinporten.mock import create_mock_maskinporten

    issuer = maskinporten_issuer(host, ports)
    return {
        ports.maskinporten: create_mock_maskinporten(maskinporten_clients(data_dir), issuer=issuer),
        ports.altinn: altinn_mock(ALTINN_DEMO, gate=MaskinportenGate(issuer)),
    }


def demo_upstreams(host: str, ports: DemoPorts) -> dict[int, Any]:
    """The mock ID-porten and the mock Entra ID, registered with the demo provider."""
    from ansattporten.upstream_mocks.entra.app import create_entra_mock
    from ansattporten.upstream_mocks.entra.fixture import DEMO_FIXTURE as ENTRA_DEMO
    from ansattporten.upstream_mocks.idporten.app import create_idporten_mock
    from ansattporten.upstream_mocks.idporten.fixture import DEMO_FIXTURE as IDPORTEN_DEMO

    idporten = create_idporten_mock(
        upstream_fixture(IDPORTEN_DEMO, host, ports, "idporten"),
        issuer=ports.url(host, "idporten"),
    )
    entra = create_entra_mock(
        upstream_fixture(ENTRA_DEMO, host, ports, "entraid"), base_url=ports.url(host, "entra")
    )
    return {ports.idporten: idporten.app, ports.entra: entra.app}


def demo_employer_rules(host: str, ports: DemoPorts, data_dir: Path) -> dict[int, Any]:
    """The employer-rules service (admin pages and the API the orgno source asks). Its
    database is prepared here, before any server starts: Alembic's module-level context
    is one per process, so its migrations must not run while the provider's do."""
    from employer_rules.app import create_app as create_rules_app
    from employer_rules.startup import prepare

    settings = employer_rules_settings(host, ports, data_dir)
    asyncio.run(prepare(settings))
    return {ports.employer_rules: create_rules_app(settings, prepared=True)}


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
            **registration("employee"),
            api_url=f"{ports.url(host, 'api')}/api/organisations",
            acr_values=EMPLOYEE_ACR_VALUES,
        ),
        ports.health_service: create_health_service(**registration("health")),
        ports.agency_service: create_employee_service(
            **registration("agency"),
            details=[{"type": "myagency:role"}],
            title_key="agency.title",
        ),
        ports.entra_service: create_employee_service(
            **registration("entra"),
            details=[{"type": "ansattporten:orgno"}],
            title_key="entra.title",
            acr_values="entraid",
        ),
    }


DEMO_URLS = [  # (label, DemoPorts attribute, what follows the URL)
    ("provider (issuer)", "provider", ""),
    ("discovery", "provider", "/.well-known/openid-configuration"),
    ("employee service", "employee_service", "   <- open this first"),
    ("health service (HPR)", "health_service", ""),
    ("agency service", "agency_service", ""),
    ("Entra users' service", "entra_service", "   <- ansattporten:orgno"),
    ("employer rules (admin)", "employer_rules", ""),
    ("example API", "api", "/api/organisations"),
    ("agency register", "agency_register", "/health"),
    ("mock Altinn", "altinn", ""),
    ("mock HPR", "hpr", ""),
    ("mock Maskinporten", "maskinporten", "/.well-known/oauth-authorization-server"),
    ("mock ID-porten", "idporten", "/.well-known/openid-configuration"),
    ("mock Entra ID", "entra", "/organizations/v2.0/.well-known/openid-configuration"),
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
        uvicorn.Server(ServerConfig(app, host=host, port=port, access_log=False))
        for port, app in apps.items()
    ]
    await asyncio.gather(*(server.serve() for server in servers))
