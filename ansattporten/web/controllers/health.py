"""Liveness and readiness.

`/health` says the process answers. `/health/ready` says it can serve logins: the
database answers and every enabled register passes its own health check.
"""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Response, get

from ansattporten.web.render import json_response
from ansattporten.web.state import AnyRequest, provider_of

CHECK_SECONDS = 2.0


@get("/health")
async def health() -> Response[Any]:
    return json_response({"status": "ok"})


@get("/health/ready")
async def ready(request: AnyRequest) -> Response[Any]:
    provider = provider_of(request)
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(provider.store.ping(), CHECK_SECONDS)
        checks["database"] = "ok"
    except Exception:  # any failure means "not ready", whatever its kind
        checks["database"] = "unavailable"
    for name, source in provider.representation.sources.items():
        try:
            await asyncio.wait_for(source.check_health(), CHECK_SECONDS)
            checks[f"source:{name}"] = "ok"
        except Exception:  # a plugin may fail in any way; report, don't crash
            checks[f"source:{name}"] = "unavailable"
    ok = all(value == "ok" for value in checks.values())
    return json_response(
        {"status": "ok" if ok else "unavailable", "checks": checks}, 200 if ok else 503
    )


handlers = [health, ready]
