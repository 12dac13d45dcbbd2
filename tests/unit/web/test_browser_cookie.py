"""`set_browser_cookie` writes the same Set-Cookie header as Litestar's `set_cookie`,
for values we make and for odd values a browser might send back."""

from __future__ import annotations

import pytest
from litestar import Response

from ansattporten.web.browser_cookie import COOKIE_NAME, new_browser_id, set_browser_cookie

VALUES = [new_browser_id(), "A" * 20 + "-_" * 10, 'with space and "quotes";=', "å" * 20]


def set_cookie_headers(response: Response[object]) -> list[str]:
    from_headers = [v for k, v in response.headers.items() if k.lower() == "set-cookie"]
    from_cookies = [cookie.to_header(header="") for cookie in response.cookies]
    return from_headers + from_cookies


@pytest.mark.parametrize("secure", [True, False])
@pytest.mark.parametrize("value", VALUES)
def test_the_header_is_litestars_own(value: str, secure: bool) -> None:
    ours: Response[object] = Response(b"")
    set_browser_cookie(ours, value, secure=secure)
    litestars: Response[object] = Response(b"")
    litestars.set_cookie(COOKIE_NAME, value, httponly=True, samesite="lax", secure=secure, path="/")

    assert set_cookie_headers(ours) == set_cookie_headers(litestars)
