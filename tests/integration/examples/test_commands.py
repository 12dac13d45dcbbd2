"""Each example's one-line command builds its app from the command line, and
`ansattporten demo` wires every example to its own port."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar import Litestar

from ansattporten.cli.demo_settings import CLIENTS, DemoPorts, demo_settings
from ansattporten.cli.run import demo_apps
from examples.agency_register import __main__ as agency_register
from examples.employee_service import __main__ as employee_service
from examples.example_api import __main__ as example_api
from examples.health_service import __main__ as health_service


@pytest.mark.parametrize(
    "command", [agency_register, employee_service, example_api, health_service]
)
def test_one_line_command_builds_the_app(command: object) -> None:
    app, args = command.build(["--issuer", "http://127.0.0.1:9000", "--port", "9123"])  # type: ignore[attr-defined]
    assert isinstance(app, Litestar)
    assert (args.issuer, args.port) == ("http://127.0.0.1:9000", 9123)


def test_employee_service_accepts_details_as_json() -> None:
    _, args = employee_service.build(["--details", '[{"type": "myagency:role"}]'])
    assert args.details == [{"type": "myagency:role"}]


def test_demo_starts_every_example_on_its_own_port(tmp_path: Path) -> None:
    ports = DemoPorts.from_base(18000)
    settings = demo_settings("127.0.0.1", ports, tmp_path)
    apps = demo_apps("127.0.0.1", ports, settings)
    assert set(apps) == {
        ports.provider,
        ports.altinn,
        ports.hpr,
        ports.agency_register,
        ports.api,
        ports.employee_service,
        ports.health_service,
        ports.agency_service,
        ports.entra_service,
    }
    registered = {client.client_id: client.redirect_uris for client in settings.clients}
    for client in CLIENTS.values():
        assert registered[client.client_id] == [f"{ports.url('127.0.0.1', client.port)}/callback"]
    assert settings.sources["my_agency"]["base_url"] == f"http://127.0.0.1:{ports.agency_register}"
    assert settings.sources["orgno"]["base_url"] == f"http://127.0.0.1:{ports.employer_rules}"
