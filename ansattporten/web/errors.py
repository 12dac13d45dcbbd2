"""Exception handlers: every failure becomes an OAuth error body or an error page.

Back-channel endpoints answer JSON (`{"error", "error_description"}`) with the status
the error class names; pages answer the person's error page. Nothing ever shows a
stack trace; unexpected exceptions are logged server-side with the request id only.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Response
from litestar.exceptions import HTTPException

from ansattporten import routes
from ansattporten.errors import InvalidClient, InvalidToken, OAuthError, ServerError
from ansattporten.outcomes import error_page
from ansattporten.web.render import json_response
from ansattporten.web.respond import respond
from ansattporten.web.state import AnyRequest

log = logging.getLogger("ansattporten.web")

JSON_PREFIXES = (*routes.BACK_CHANNEL, routes.USERINFO, routes.JWKS, "/.well-known", "/health")


def wants_json(request: AnyRequest) -> bool:
    return request.url.path.startswith(JSON_PREFIXES)


def oauth_error_response(request: AnyRequest, error: OAuthError) -> Response[Any]:
    headers: dict[str, str] = {"Cache-Control": "no-store", **error.headers}
    if isinstance(error, InvalidToken):
        headers.setdefault("WWW-Authenticate", f'Bearer error="{error.error}"')
        return json_response(error.as_dict(), 401, headers)
    if isinstance(error, InvalidClient) and request.headers.get("authorization"):
        headers["WWW-Authenticate"] = 'Basic realm="ansattporten"'
    if wants_json(request):
        return json_response(error.as_dict(), error.status_code, headers)
    page = error_page("error.bad_request", status=error.status_code, detail=error.description)
    return respond(request, page)


def http_exception_response(request: AnyRequest, exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    code = {404: "not_found", 405: "invalid_request", 413: "invalid_request"}.get(
        status, "invalid_request" if status < 500 else "server_error"
    )
    if status >= 500:
        log.error(
            "request failed",
            exc_info=exc,
            extra={"path": request.url.path, "status": status, "detail": exc.detail},
        )
    if wants_json(request):
        return json_response({"error": code}, status)
    key = "error.not_found" if status == 404 else "error.bad_request"
    return respond(request, error_page(key, status=status))


def unexpected_error_response(request: AnyRequest, exc: Exception) -> Response[Any]:
    log.exception("unexpected error", extra={"path": request.url.path})
    if wants_json(request):
        return json_response(ServerError().as_dict(), 500)
    return respond(request, error_page("error.server_error", status=500))


exception_handlers: dict[type[Exception] | int, Any] = {
    OAuthError: oauth_error_response,
    HTTPException: http_exception_response,
    Exception: unexpected_error_response,
}
