"""OAuth answers every mock gives the same way: the authorization response to the
client's redirect URI (query or form_post), JSON errors, and 503 when a fault says so."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import msgspec
from litestar import Response
from litestar.response import Redirect

from ansattporten.upstream_mocks.pages import SECURITY_HEADERS, render

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def redirect_uri_with(redirect_uri: str, params: Mapping[str, str]) -> str:
    """`redirect_uri` with `params` added to its query (keeping any query it has)."""
    parts = urlsplit(redirect_uri)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def authorization_response(
    redirect_uri: str,
    params: Mapping[str, str],
    *,
    response_mode: str,
    locale: str,
    product: str,
) -> Response[Any]:
    """Send the browser back to the client: a 303 with a query, or a self-submitting
    form (OAuth 2.0 Form Post Response Mode)."""
    if response_mode == "form_post":
        return render(
            "form_post.html",
            locale,
            product=product,
            action=redirect_uri,
            fields=sorted(params.items()),
        )
    return Redirect(redirect_uri_with(redirect_uri, params), status_code=303, headers=NO_STORE)


def json_response(body: Mapping[str, Any], status_code: int = 200) -> Response[bytes]:
    return Response(
        msgspec.json.encode(body),
        status_code=status_code,
        media_type="application/json",
        headers=NO_STORE,
    )


def oauth_error(
    error: str, description: str, status_code: int = 400, **extra: Any
) -> Response[bytes]:
    response = json_response(
        {"error": error, "error_description": description, **extra}, status_code
    )
    if status_code == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="token"'
    return response


def unavailable_json() -> Response[bytes]:
    return oauth_error("temporarily_unavailable", "the service is unavailable", 503)


def html_headers() -> dict[str, str]:
    return dict(SECURITY_HEADERS)
