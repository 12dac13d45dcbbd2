"""Assertions the core provider tests share: what an error page, an error redirect and
an OAuth JSON error look like on the wire."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.login_driver import forms_of, query_of


def sqlite_url_in(tmp_path_factory: pytest.TempPathFactory, name: str = "db") -> str:
    """A fresh SQLite database URL in its own temporary folder (for module fixtures)."""
    folder: Path = tmp_path_factory.mktemp(name)
    return f"sqlite:///{folder / 'ansattporten.db'}"


def assert_error_page(response: httpx.Response, status: int = 400) -> None:
    """A page for the person, never a redirect: the client could not be trusted."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert "location" not in response.headers, response.headers.get("location")
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text


def redirect_params(response: httpx.Response, redirect_uri: str) -> dict[str, str]:
    """The parameters of a 303 back to `redirect_uri` (exactly that URI plus a query)."""
    assert response.status_code == 303, (response.status_code, response.text[:500])
    location = response.headers["location"]
    base, query = urlsplit(location), urlsplit(redirect_uri)
    assert (base.scheme, base.netloc, base.path) == (query.scheme, query.netloc, query.path), (
        location
    )
    if query.query:
        assert location.startswith(redirect_uri + "&"), location
    return query_of(location)


def assert_error_redirect(
    response: httpx.Response,
    redirect_uri: str,
    error: str,
    *,
    issuer: str,
    state: str | None,
) -> dict[str, str]:
    """A 303 to the client's redirect_uri with error, error_description, state and iss."""
    params = redirect_params(response, redirect_uri)
    assert params.get("error") == error, params
    assert params.get("error_description"), params
    assert params.get("iss") == issuer, params
    assert "code" not in params, params
    if state is None:
        assert "state" not in params, params
    else:
        assert params.get("state") == state, params
    return params


def form_post_params(response: httpx.Response, redirect_uri: str) -> dict[str, str]:
    """The fields of a `response_mode=form_post` page that posts to `redirect_uri`."""
    assert response.status_code == 200, (response.status_code, response.text[:500])
    assert "location" not in response.headers
    forms = [form for form in forms_of(response.text) if form.action == redirect_uri]
    assert len(forms) == 1, response.text[:2000]
    return forms[0].fields


def assert_json_error(response: httpx.Response, error: str, status: int = 400) -> dict[str, str]:
    """An OAuth JSON error (`{"error", "error_description"}`), never a redirect."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, str] = response.json()
    assert body["error"] == error, body
    return body
