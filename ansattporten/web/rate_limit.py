"""Request rate limits, counted in the database so every instance shares them.

Login form posts and /authorize are limited per client address; the back-channel
endpoints per client_id (from HTTP Basic) and address, or per address alone. Not per
client_id alone: the limit is counted before the secret is checked and a client_id is
public, so anyone could otherwise use up a service's budget with requests in its name.
The one budget per client alone is of logins started (/authorize and /par), which
bounds what one client's logins can store. It counts only logins that did start (the
response says so: a pushed request stored, a redirect to the login page), so requests
refused for a wrong secret or a bad parameter in a service's name spend nothing;
logins really started in its name from many addresses, each within its own /authorize
budget, can. The address is the connection's peer, or what a
trusted proxy forwarded (`client_address`).

Writing every request to the database would make the limit cost more than the request.
Each instance therefore counts locally and adds its hits to the shared counter in
batches of at most a twentieth of the limit (every hit when the limit is small), so a
client can exceed a limit by at most one batch per instance before every instance
refuses it.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from litestar import Response
from litestar.types import HTTPResponseStartEvent, Message, Scope

from ansattporten import routes
from ansattporten.errors import InvalidRequest
from ansattporten.flows.client_auth import assertion_issuer
from ansattporten.outcomes import error_page
from ansattporten.web.forms import form_pairs, query_pairs
from ansattporten.web.render import json_response
from ansattporten.web.respond import respond
from ansattporten.web.state import AnyRequest, provider_of

WINDOW_SECONDS = 60
LOGIN_PATHS = routes.LOGIN.split("{", 1)[0]
LOGIN_CANCEL_SUFFIX = routes.LOGIN_CANCEL.rsplit("}", 1)[1]


class HitCounts(Protocol):
    """Where the shared counts are kept (the store, handed over by `create_app`)."""

    async def count_hits(self, key: str, window: int, hits: int = 1) -> int:
        """Add `hits` to `key` in `window`; the total so far, over every instance."""
        ...


@dataclass(slots=True)
class _Window:
    window: int
    pending: int = 0
    shared_total: int = 0


class SharedCounter:
    """Fixed-window counts per key, batched into the database."""

    def __init__(self, counts: HitCounts) -> None:
        self._counts = counts
        self._windows: dict[str, _Window] = {}

    async def hit(self, key: str, limit: int, now: float) -> int:
        """Count one hit; return the best known total for this window."""
        window = int(now) // WINDOW_SECONDS
        state = self._windows.get(key)
        if state is None or state.window != window:
            if len(self._windows) > 50_000:
                self._windows.clear()
            state = self._windows[key] = _Window(window)
        state.pending += 1
        batch = max(1, limit // 20)
        if state.pending >= batch or state.shared_total + state.pending > limit:
            hits, state.pending = state.pending, 0
            state.shared_total = await self._counts.count_hits(key, window, hits)
        return state.shared_total + state.pending

    def seen(self, key: str, now: float) -> int:
        """The best known total of this window, counting nothing."""
        state = self._windows.get(key)
        if state is None or state.window != int(now) // WINDOW_SECONDS:
            return 0
        return state.shared_total + state.pending


class Limited(NamedTuple):
    """One budget: which limit applies (`kind`) and whose budget it is (`key`). Budgets
    of started logins count only logins that did start (`STARTS`): a request refused
    for a wrong secret or a bad parameter stores nothing, and must not spend a
    service's budget."""

    kind: str
    key: str


STARTS = "starts"
PENDING_STARTS = "ansattporten.pending_starts"
"""Where the budgets of started logins wait (the request's scope state) for the
response to say whether the login started."""


async def limited_keys(request: AnyRequest) -> list[Limited]:
    """The budgets a request counts against (none for most requests).

    - a login form post: its address's login budget
    - /authorize (GET or POST): its address's budget, and the budget of logins started
      for the client it names (each may store a login transaction)
    - a back-channel request: the budget of the client it names *at* its address, or of
      the address; a push (/par) also the client's budget of started logins
    """
    path = request.scope["path"]  # not request.url: building the URL object costs more
    # at most 64 characters: the key must fit its column (200) with a 100-character
    # client_id, whatever a trusted proxy forwarded as the address
    address = request.client.host[:64] if request.client else "unknown"
    if path == routes.AUTHORIZE:
        pairs = query_pairs(request) if request.method == "GET" else await _form(request)
        named = _first(pairs, "client_id")
        budgets = [Limited("authorize", f"authorize:{address}")]
        return budgets + ([Limited(STARTS, f"starts:{named}")] if named else [])
    if request.method != "POST":
        return []
    if path.startswith(LOGIN_PATHS) and not path.endswith(LOGIN_CANCEL_SUFFIX):
        return [Limited("login", f"login:{address}")]
    if path in routes.BACK_CHANNEL:
        client_id = basic_client_id(request)
        budgets = [
            Limited("token", f"token:{client_id}@{address}" if client_id else f"token:{address}")
        ]
        if path == routes.PAR:
            pushed_for = client_id or _claimed_client(await _form(request))
            if pushed_for:
                budgets.append(Limited(STARTS, f"starts-par:{pushed_for}"))
        return budgets
    return []


async def _form(request: AnyRequest) -> list[tuple[str, str]]:
    """The form body, or nothing when it cannot be read as one (the endpoint itself
    answers that). Litestar keeps the body, so the endpoint does not read it twice."""
    try:
        return await form_pairs(request)
    except InvalidRequest:
        return []


def _first(pairs: list[tuple[str, str]], name: str) -> str | None:
    return _bounded(next((value for key, value in pairs if key == name), None))


def _bounded(client_id: str | None) -> str | None:
    """A claimed client_id as a key: at most 100 characters (the key's column holds
    200), none with NUL (no client has one, and PostgreSQL text cannot hold it)."""
    return client_id[:100] if client_id and "\x00" not in client_id else None


def _claimed_client(pairs: list[tuple[str, str]]) -> str | None:
    """The client a form names: `client_id`, or the issuer of its client assertion."""
    named = _first(pairs, "client_id")
    if named:
        return named
    assertion = next((value for key, value in pairs if key == "client_assertion"), None)
    return _bounded(assertion_issuer({"client_assertion": assertion})) if assertion else None


def basic_client_id(request: AnyRequest) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:6].lower() != "basic ":
        return None
    try:
        client_id = base64.b64decode(header[6:], validate=True).split(b":", 1)[0].decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return _bounded(client_id)


async def enforce_rate_limit(request: AnyRequest) -> Response[Any] | None:
    """`before_request`: count the request against its budgets (those of started logins
    are only checked here, and counted by `count_started_logins` once the response
    says the login started); refuse it with 429 when any is spent."""
    settings = provider_of(request).settings
    budgets = await limited_keys(request) if settings.rate_limit else []
    if not budgets:
        return None
    limits = {
        "login": settings.login_attempts_per_minute,
        "token": settings.token_requests_per_minute,
        "authorize": settings.authorize_requests_per_minute,
        STARTS: settings.logins_per_client_per_minute,
    }
    counter: SharedCounter = request.app.state.rate_counter
    now = time.time()
    over = False
    starts = []
    for budget in budgets:  # every budget counts the request, even after one is spent
        limit = limits[budget.kind]
        if budget.kind == STARTS:
            over = counter.seen(budget.key, now) >= limit or over
            starts.append((budget.key, limit))
        else:
            over = await counter.hit(budget.key, limit, now) > limit or over
    if not over:
        if starts:
            request.scope.setdefault("state", {})[PENDING_STARTS] = starts
        return None
    seconds = WINDOW_SECONDS - int(now) % WINDOW_SECONDS
    retry = {"Retry-After": str(seconds)}
    if request.scope["path"] in routes.BACK_CHANNEL:
        body = {"error": "invalid_request", "error_description": "too many requests"}
        return json_response(body, 429, retry)
    response = respond(request, error_page("error.rate_limited", status=429, seconds=seconds))
    response.headers.update(retry)
    return response


async def count_started_logins(message: Message, scope: Scope) -> None:
    """`before_send`: a pushed request stored (201), or a login transaction started (a
    303 to the login page), counts against its client's budget of started logins."""
    if message["type"] != "http.response.start":
        return
    state: dict[str, Any] = scope.get("state") or {}
    starts = state.pop(PENDING_STARTS, None)
    if not starts or not _started(message):
        return
    counter: SharedCounter = scope["app"].state.rate_counter
    now = time.time()
    for key, limit in starts:
        await counter.hit(key, limit, now)


def _started(message: HTTPResponseStartEvent) -> bool:
    status = message["status"]
    if status == 201:
        return True
    if status != 303:
        return False
    return any(
        bytes(name).lower() == b"location" and LOGIN_PATHS.encode() in bytes(value)
        for name, value in message.get("headers", [])
    )
