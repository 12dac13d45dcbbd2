"""Whatever goes wrong, the answer is a page (or, on the API, JSON) saying so in
plain words: never a stack trace, never a bare 500 from the framework."""

from __future__ import annotations

import logging
from typing import Any, Final

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect
from sqlalchemy.exc import SQLAlchemyError

from employer_rules.admin.context import NotLoggedIn
from employer_rules.admin.rendering import Pages
from employer_rules.api.routes import refusal

log = logging.getLogger("employer_rules")
API_PATHS: Final = frozenset({"/parties", "/health"})
PAGES_BY_STATUS: Final = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


def exception_handler(pages: Pages) -> Any:
    def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        if isinstance(exc, NotLoggedIn):
            return Redirect("/", status_code=303)
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if isinstance(exc, SQLAlchemyError | OSError):
            status = 503
            log.error("the database cannot be used: %s", type(exc).__name__)
        elif status >= 500:
            log.error("unexpected error", exc_info=exc)
        if request.url.path in API_PATHS:
            code = "temporarily_unavailable" if status >= 500 else "invalid_request"
            return refusal(status, code, PAGES_BY_STATUS.get(status, "server_error"))
        name = PAGES_BY_STATUS.get(status, "unavailable" if status == 503 else "error")
        return pages.message(request, name, status=status if status < 500 or status == 503 else 500)

    return handle
