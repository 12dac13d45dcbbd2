"""`set_browser_cookie` writes the same Set-Cookie header as Litestar's `set_cookie`,
for values we make and for odd values a browser might send back."""

from __future__ import annotations

import pytest
from litestar import Response

from ansattporten.web.browser_cookie import COOKIE_NAME, BrowserCookies, set_browser_cookie

ISSUED = BrowserCookies(b"a key")
VALUES = [ISSUED.issue(), "A" * 20 + "-_" * 10, 'with space and "quotes";=', "å" * 20]


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


def test_only_values_issued_with_the_key_are_recognised() -> None:
    issued = ISSUED.issue()
    assert ISSUED.recognise(issued) == issued
    assert BrowserCookies(b"another key").recognise(issued) is None
    tampered = issued[:-1] + ("A" if issued[-1] != "A" else "B")
    assert ISSUED.recognise(tampered) is None
    for fixed in (None, "", "x" * 54, issued[:32] + "x" * 22, issued + "x", "å" * 54):
        assert ISSUED.recognise(fixed) is None
