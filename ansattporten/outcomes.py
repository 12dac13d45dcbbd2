"""What a flow (or an eID) asks the web layer to do. Plain data, so flows and eIDs stay
framework-free; it sits outside `flows/` because eIDs return these too."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar


@dataclass(frozen=True, slots=True)
class SessionCookie:
    """What the browser's session cookie becomes with this answer: a new value after an
    authentication, or nothing (`value` None) after a logout ended its session."""

    value: str | None


@dataclass(frozen=True, slots=True)
class RedirectTo:
    """A 303 to `url` (303 so a POSTed form is followed by a GET)."""

    url: str
    response_params: Mapping[str, str] | None = None
    """The authorization response carried in `url`'s query (code or error, state, iss),
    when this sends the browser back to the client: what the metrics count, without
    parsing the URL again."""
    starts_login: bool = False
    """The redirect from /authorize to the login page: a login transaction began."""
    session: SessionCookie | None = None


@dataclass(frozen=True, slots=True)
class PostTo:
    """`response_mode=form_post`: an auto-submitting form to the client."""

    url: str
    params: dict[str, str]
    lang: str | None = None
    """The login's language, for the page that carries the form."""
    session: SessionCookie | None = None
    response_params: Mapping[str, str] | None = None
    """The authorization response the form carries, before a JWT response mode (JARM)
    signed it into `params["response"]`: what the metrics count."""


@dataclass(frozen=True, slots=True)
class ShowPage:
    """Render a template from `ui/templates` with this context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    status: int = 200
    session: SessionCookie | None = None
    frame_origins: tuple[str, ...] = ()
    """Origins this page may show in iframes (the front-channel logout page); every
    other page may frame nothing."""


@dataclass(frozen=True, slots=True)
class JsonBody:
    """A JSON response at a back-channel endpoint."""

    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


Outcome = RedirectTo | PostTo | ShowPage | JsonBody
BrowserOutcome = TypeVar("BrowserOutcome", bound=RedirectTo | PostTo | ShowPage)


def with_session(outcome: BrowserOutcome, cookie: str | None) -> BrowserOutcome:
    """`outcome`, after which the browser holds the session cookie `cookie` (None: none)."""
    return dataclasses.replace(outcome, session=SessionCookie(cookie))


def error_page(
    message_key: str,
    *,
    title_key: str = "error.title",
    status: int = 400,
    back_url: str | None = None,
    retry_url: str | None = None,
    lang: str | None = None,
    language_next: str | None = None,
    **message_args: Any,
) -> ShowPage:
    """The person-facing error page: what happened in their language, a way back when the
    service can be trusted (else `retry_url`, the same step again, when it may work
    later), never a stack trace. `lang` is the login's language when the
    page belongs to one (else the web layer uses the browser's); `language_next` is the
    address that shows this page again, for the language switcher."""
    context: dict[str, Any] = {
        "title_key": title_key,
        "message_key": message_key,
        "message_args": message_args,
        "back_url": back_url,
        "retry_url": retry_url,
    }
    if lang:
        context["lang"] = lang
    if language_next:
        context["language_next"] = language_next
    return ShowPage("error.html", context, status=status)
