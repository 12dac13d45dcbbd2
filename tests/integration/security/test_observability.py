"""What an operator sees: a request id on every response (a sane incoming one echoed),
JSON log lines that carry it, liveness and readiness (503 when a register is down), and
Prometheus metrics that move when people log in."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from ansattporten.flows import discovery
from ansattporten.logging_setup import JsonFormatter
from tests.integration.security.conftest import altinn_overrides
from tests.integration.security.support import (
    EVERY_KIND_OF_REQUEST,
    PID,
    SecurityDriver,
    http_client,
)
from tests.support import altinn_oracle as oracle
from tests.support.login_driver import forms_of
from tests.support.oauth_checks import sqlite_url_in
from tests.support.provider import RunningProvider, run_provider
from tests.support.representation import open_picker, redeem_details, to_picker
from tests.support.servers import free_port

GENERATED_ID = r"[0-9a-f]{16}"


@pytest.fixture
def client(sec_provider) -> Iterator[httpx.Client]:
    with http_client(sec_provider.base_url) as http:
        yield http


# request ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EVERY_KIND_OF_REQUEST)
def test_every_response_has_a_request_id(client, make_driver, name):
    response = EVERY_KIND_OF_REQUEST[name](client, make_driver())

    assert len(response.headers.get_list("x-request-id")) == 1, response.headers
    assert 8 <= len(response.headers["x-request-id"]) <= 64


@pytest.mark.parametrize("path", ["/health", "/no-such-page", "/jwks.json"])
def test_a_sane_incoming_request_id_is_echoed(client, path):
    response = client.get(path, headers={"X-Request-Id": "lb-7f3a.9c_21-0001"})

    assert response.headers["x-request-id"] == "lb-7f3a.9c_21-0001"


@pytest.mark.parametrize(
    "incoming",
    [
        "short",
        "has spaces in it",
        "x" * 65,
        "ikke-ascii-æøå-0001",
        "semi;colon;0001",
        "a\tb12345678",
    ],
)
def test_an_odd_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/health", headers={"X-Request-Id": incoming.encode("utf-8")})

    assert response.headers["x-request-id"] != incoming
    assert response.headers["x-request-id"].isalnum()


# logs ----------------------------------------------------------------------------------------


@pytest.fixture
def provider_log(sec_provider) -> Iterator[io.StringIO]:
    """What the provider's own log handler (the one `configure_logging` installed) writes."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and isinstance(h.formatter, JsonFormatter)
    ]
    assert handlers, "the provider did not install its JSON log handler"
    stream = io.StringIO()
    previous = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)  # type: ignore[arg-type]


def test_an_unexpected_error_is_a_json_log_line_with_the_request_id(
    client, provider_log, monkeypatch
):
    def broken(provider: object) -> dict[str, object]:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(discovery, "metadata", broken)

    response = client.get(
        "/.well-known/openid-configuration", headers={"X-Request-Id": "trace-0123456789"}
    )

    assert response.status_code == 500
    assert response.json()["error"] == "server_error"
    assert "Traceback" not in response.text
    assert "simulated" not in response.text
    lines = [json.loads(line) for line in provider_log.getvalue().splitlines() if line]
    assert lines, "nothing was logged"
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert errors
    assert errors[0]["request_id"] == "trace-0123456789"
    assert errors[0]["path"] == "/.well-known/openid-configuration"
    assert "simulated failure" in errors[0]["exception"]
    assert {"time", "level", "logger", "message", "request_id"} <= set(errors[0])


# health ---------------------------------------------------------------------------------------


def test_health_is_ok(client):
    response = client.get("/health")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_ready_checks_the_database(client):
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_ready_checks_an_enabled_register(rar_provider):
    response = httpx.get(f"{rar_provider.base_url}/health/ready")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "source:altinn": "ok"}


@pytest.fixture(scope="module")
def provider_with_dead_register(
    tmp_path_factory: pytest.TempPathFactory, make_settings
) -> Iterator[RunningProvider]:
    closed = f"http://127.0.0.1:{free_port()}"
    url = sqlite_url_in(tmp_path_factory, "dead-register")
    with run_provider(url, altinn_overrides(make_settings, closed)) as running:
        yield running


def test_not_ready_when_an_enabled_register_is_down(provider_with_dead_register):
    response = httpx.get(f"{provider_with_dead_register.base_url}/health/ready", timeout=10)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "ok", "source:altinn": "unavailable"}
    assert httpx.get(f"{provider_with_dead_register.base_url}/health").status_code == 200


# metrics --------------------------------------------------------------------------------------


def scrape(base_url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = httpx.get(f"{base_url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    values = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return values


def total(
    values: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    wanted = set(labels.items())
    return sum(v for (n, ls), v in values.items() if n == name and wanted <= set(ls))


def test_metrics_are_exposed(client):
    text = client.get("/metrics").text

    for name in (
        "ansattporten_logins_started_total",
        "ansattporten_logins_completed_total",
        "ansattporten_logins_failed_total",
        "ansattporten_source_latency_seconds",
        "ansattporten_token_endpoint_seconds",
    ):
        assert f"# TYPE {name.removesuffix('_total')}" in text, name


def test_metrics_move_when_people_log_in(make_rar_driver, rar_provider):
    base = rar_provider.base_url
    before = scrape(base)

    # one completed login with representation (the register is asked) ...
    driver: SecurityDriver = make_rar_driver("confidential-service")
    picker = to_picker(driver, [oracle.resource_detail("app_ttd_apps-test")], "23865938772")
    orgno = open_picker(driver, picker).parties[0]
    redeem_details(driver, driver.choose(picker, parties=[orgno]))
    # ... and one the person cancels
    canceller: SecurityDriver = make_rar_driver("confidential-service")
    page = canceller.browser.get(canceller.start())
    cancel = next(f for f in forms_of(page.text) if f.action.endswith("/cancel"))
    assert canceller.browser.post(cancel.action, data=cancel.fields).status_code == 303

    after = scrape(base)

    def moved(name: str, **labels: str) -> float:
        return total(after, name, **labels) - total(before, name, **labels)

    assert moved("ansattporten_logins_started_total") >= 2
    assert moved("ansattporten_logins_completed_total") >= 1
    assert moved("ansattporten_logins_failed_total", reason="access_denied") >= 1
    assert moved("ansattporten_source_latency_seconds_count", source="altinn") >= 1
    assert moved("ansattporten_token_endpoint_seconds_count") >= 1


def test_a_plain_login_counts_too(make_driver, sec_provider):
    before = scrape(sec_provider.base_url)

    make_driver("confidential-service").tokens(PID)

    after = scrape(sec_provider.base_url)
    for name in ("ansattporten_logins_started_total", "ansattporten_logins_completed_total"):
        assert total(after, name) - total(before, name) >= 1, name
