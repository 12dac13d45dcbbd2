"""`create_app(settings)`: the one place the service is put together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

from litestar import Litestar
from litestar.middleware import DefineMiddleware
from litestar.static_files import create_static_files_router

from employer_rules.admin.context import Admin
from employer_rules.admin.login_routes import login_routes
from employer_rules.admin.provider_client import ProviderClient
from employer_rules.admin.rendering import Pages
from employer_rules.admin.rule_routes import rule_routes
from employer_rules.admin.security_headers import security_headers
from employer_rules.api.caller_auth import CallerAuth
from employer_rules.api.routes import api_routes
from employer_rules.errors import exception_handler
from employer_rules.settings import Settings
from employer_rules.startup import prepare
from employer_rules.store.database import make_engine
from employer_rules.store.rule_store import RuleStore
from employer_rules.store.session_store import SessionStore

log = logging.getLogger("employer_rules")
STATIC = Path(__file__).resolve().parent / "static"


async def purge_now_and_then(sessions: SessionStore, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await sessions.purge()
        except Exception as exc:  # keep purging later; the next pass catches up
            log.warning("purging expired sessions failed: %s", type(exc).__name__)


def create_app(settings: Settings, *, prepared: bool = False) -> Litestar:
    """The Litestar app. At start it prepares the database (`startup.prepare`) unless
    the caller did so already (`prepared`)."""
    engine = make_engine(settings.database_url)
    rules = RuleStore(engine)
    sessions = SessionStore(
        engine,
        idle=timedelta(seconds=settings.session_idle_seconds),
        longest=timedelta(seconds=settings.session_max_seconds),
        login=timedelta(seconds=settings.login_seconds),
    )
    pages = Pages(settings.default_locale, secure_cookies=settings.secure_cookies)
    admin = Admin(settings, rules, sessions, ProviderClient(settings), pages)
    auth = CallerAuth(settings.api, settings.api_audience, sessions.use_assertion)

    @contextlib.asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        if not prepared:
            await prepare(settings)
        purging = None
        if settings.purge_interval_seconds > 0:
            purging = asyncio.create_task(
                purge_now_and_then(sessions, settings.purge_interval_seconds)
            )
        try:
            yield
        finally:
            if purging is not None:
                purging.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await purging
            await engine.dispose()

    return Litestar(
        route_handlers=[
            *login_routes(admin),
            *rule_routes(admin),
            *api_routes(settings.api, rules, auth),
            create_static_files_router(path="/static", directories=[STATIC]),
        ],
        lifespan=[lifespan],
        middleware=[
            DefineMiddleware(
                security_headers(settings.provider.issuer, https=settings.secure_cookies)
            )
        ],
        exception_handlers={Exception: exception_handler(pages)},
        openapi_config=None,
        debug=False,
    )
