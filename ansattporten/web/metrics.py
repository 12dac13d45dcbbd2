"""Prometheus metrics at /metrics: logins started, completed and failed by reason, the
registers' latency, and the token endpoint's latency.

Each worker process counts its own requests (prometheus_client's default registry);
scrape every worker, or run one worker per container, as usual for Python services.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Response, get
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

from ansattporten.outcomes import Outcome, PostTo, RedirectTo, ShowPage
from ansattporten.rar import SourceTiming

LOGINS_STARTED = Counter("ansattporten_logins_started_total", "Login transactions started")
LOGINS_COMPLETED = Counter("ansattporten_logins_completed_total", "Logins that ended with a code")
LOGINS_FAILED = Counter(
    "ansattporten_logins_failed_total", "Logins that ended without a code", ["reason"]
)
SOURCE_LATENCY = Histogram(
    "ansattporten_source_latency_seconds",
    "Time an authoritative register took to answer",
    ["source", "outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
TOKEN_LATENCY = Histogram(
    "ansattporten_token_endpoint_seconds",
    "Time to answer /token",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1),
)


def record_source_timing(timing: SourceTiming) -> None:
    SOURCE_LATENCY.labels(timing.source, timing.outcome).observe(timing.ms / 1000)


def record_login_outcome(outcome: Outcome) -> None:
    """Classify what a browser-facing step answered."""
    params: Mapping[str, Any] = {}
    if isinstance(outcome, RedirectTo):
        if outcome.starts_login:
            LOGINS_STARTED.inc()
            return
        params = outcome.response_params or {}
    elif isinstance(outcome, PostTo):
        params = outcome.response_params or outcome.params
    elif isinstance(outcome, ShowPage) and outcome.status >= 400:
        LOGINS_FAILED.labels(str(outcome.context.get("message_key", "error"))).inc()
        return
    if "code" in params:
        LOGINS_COMPLETED.inc()
    elif "error" in params:
        LOGINS_FAILED.labels(str(params["error"])).inc()


@get("/metrics")
async def metrics() -> Response[bytes]:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
