"""A flow's outcome as the answer to one browser request, in the person's language."""

from __future__ import annotations

from typing import Any

from litestar import Response

from ansattporten.outcomes import Outcome
from ansattporten.web.page_language import browser_locale, return_path
from ansattporten.web.request_id import scope_request_id
from ansattporten.web.state import AnyRequest, renderer_of


def respond(request: AnyRequest, outcome: Outcome) -> Response[Any]:
    """Render `outcome`: a page that belongs to a login speaks the login's language, any
    other the browser's; the language switcher returns to the address that shows it."""
    return renderer_of(request).outcome(
        outcome,
        locale=browser_locale(request),
        language_next=return_path(request),
        request_id=scope_request_id(request.scope),
    )
