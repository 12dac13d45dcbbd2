"""The benchmark client's cookie jar: node-oidc-provider scopes its interaction cookies
to paths and deletes them with Max-Age/Expires, and the flow breaks if either is wrong."""

from __future__ import annotations

import pytest

from bench.wire import Session, parse_set_cookie, path_matches


@pytest.mark.parametrize(
    ("cookie_path", "request_path", "sent"),
    [
        ("/", "/anything", True),
        ("/interaction/abc", "/interaction/abc", True),
        ("/interaction/abc", "/interaction/abc/login", True),
        ("/interaction/abc", "/interaction/abcd", False),
        ("/auth/abc", "/interaction/abc", False),
        ("/auth/", "/auth/x", True),
    ],
)
def test_cookies_go_only_to_their_path(cookie_path: str, request_path: str, sent: bool) -> None:
    assert path_matches(cookie_path, request_path) is sent


def test_attributes_are_read_and_the_default_path_is_the_request_folder() -> None:
    cookie, deleted = parse_set_cookie("_i=v1; path=/interaction/x; httponly", "/auth")
    assert (cookie.name, cookie.value, cookie.path, deleted) == (
        "_i",
        "v1",
        "/interaction/x",
        False,
    )
    cookie, _ = parse_set_cookie("s=1; HttpOnly", "/login/abc/testid")
    assert cookie.path == "/login/abc"


@pytest.mark.parametrize(
    "header",
    [
        "_i=; path=/interaction/x",
        "_i=v; path=/interaction/x; max-age=0",
        "_i=v; path=/interaction/x; expires=Thu, 01 Jan 1970 00:00:00 GMT",
    ],
)
def test_deleting_a_cookie_removes_it_from_the_jar(header: str) -> None:
    session = Session()
    session._store_cookies(["_i=v; path=/interaction/x"], "/auth")
    assert session._cookie_header("/interaction/x") == "_i=v"
    session._store_cookies([header], "/auth")
    assert session._cookie_header("/interaction/x") == ""
