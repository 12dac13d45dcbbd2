"""`create_app(settings)`: the one place where the parts are put together."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.datastructures import State
from litestar.static_files import create_static_files_router

from ansattporten.eid import UpstreamEid, build_eids
from ansattporten.flows.browser_origins import BrowserOrigins
from ansattporten.flows.clients import sync_clients
from ansattporten.flows.context import Provider
from ansattporten.flows.keyring import KeyRing
from ansattporten.housekeeping import start_purging, stop_purging
from ansattporten.logging_setup import configure_logging
from ansattporten.logout_delivery import start_delivering, stop_delivering
from ansattporten.rar import Representation
from ansattporten.settings import Settings
from ansattporten.settings_eids import resolve_eids
from ansattporten.steady_heap import give_back_start_up_objects, set_aside_start_up_objects
from ansattporten.store import Store
from ansattporten.store.migrate import upgrade
from ansattporten.web.browser_cookie import BrowserCookies
from ansattporten.web.client_address import forwarded_client_address
from ansattporten.web.controllers import back_channel, browser, health, language
from ansattporten.web.cors import cors_middleware
from ansattporten.web.errors import exception_handlers
from ansattporten.web.i18n import static_directory
from ansattporten.web.metrics import metrics, record_source_timing
from ansattporten.web.rate_limit import (
    WINDOW_SECONDS,
    SharedCounter,
    count_started_logins,
    enforce_rate_limit,
)
from ansattporten.web.render import Renderer
from ansattporten.web.request_id import request_id_middleware
from ansattporten.web.security_headers import response_headers
from authz_sources.registry import create_sources

log = logging.getLogger("ansattporten")


async def build_provider(settings: Settings, clock: Callable[[], float] = time.time) -> Provider:
    """Open the database (migrating it first if asked), register the configured clients,
    load the shared keys and secrets, and enable the configured registers. `clock`: the
    time the flows go by (tests move it on to see sessions expire)."""
    url = settings.async_database_url
    if settings.auto_migrate:
        await asyncio.to_thread(upgrade, url)
    representation = Representation(
        create_sources(settings.sources), on_timing=record_source_timing
    )
    store = Store(url, representation.detail_types, timeout=settings.database_timeout_seconds)
    await sync_clients(store, settings.clients)
    keyring = KeyRing(store, reload_seconds=settings.key_reload_seconds)
    await keyring.load()
    pairwise = await store.shared_secret("pairwise_sub", secrets.token_urlsafe(48))
    return Provider(
        settings=settings,
        store=store,
        keyring=keyring,
        representation=representation,
        eids=build_eids(resolve_eids(settings.eids)),
        pairwise_secret=pairwise.encode(),
        clock=clock,
    )


def create_app(
    settings: Settings, *, configure_logs: bool = True, clock: Callable[[], float] = time.time
) -> Litestar:
    if configure_logs:
        configure_logging(settings.log_level, json_lines=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        provider = await build_provider(settings, clock)
        app.state.provider = provider
        app.state.rate_counter = SharedCounter(provider.store)
        cookie_key = await provider.store.shared_secret("browser_cookie", secrets.token_urlsafe(48))
        app.state.browser_cookies = BrowserCookies(cookie_key.encode())
        app.state.browser_origins = BrowserOrigins(provider.store)
        purging = start_purging(provider, settings.purge_interval_seconds, WINDOW_SECONDS)
        delivering = start_delivering(provider)
        set_aside_start_up_objects()
        try:
            yield
        finally:
            await stop_delivering(*delivering)
            await stop_purging(purging)
            give_back_start_up_objects()
            await provider.representation.aclose()
            for eid in provider.eids.values():
                if isinstance(eid, UpstreamEid):
                    await eid.aclose()
            await provider.store.aclose()

    return Litestar(
        route_handlers=[
            *back_channel.handlers,
            *browser.handlers,
            *health.handlers,
            *language.handlers,
            metrics,
            create_static_files_router(path="/static", directories=[static_directory()]),
        ],
        lifespan=[lifespan],
        exception_handlers=exception_handlers,
        middleware=[
            request_id_middleware,
            *forwarded_client_address(settings.trusted_proxies),
            cors_middleware,
        ],
        before_request=enforce_rate_limit,
        before_send=[
            response_headers(settings.issuer.startswith("https://")),
            count_started_logins,
        ],
        request_max_body_size=settings.max_request_bytes,
        state=State(
            {"renderer": Renderer(settings.default_locale, cookie_secure=settings.cookie_secure)}
        ),
        openapi_config=None,
        # logging is configured by `configure_logging` (JSON lines with the request id);
        # Litestar's default config would replace the root handlers with its own format
        logging_config=None,
        debug=False,
    )
