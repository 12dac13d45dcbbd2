"""The session cookie as the renderer sets it: HttpOnly, SameSite=Lax, path /, no
Max-Age, Secure exactly when the issuer is https; cleared when a logout ended the
browser's session; and a value of the wrong length is not even read."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from litestar import Response

from ansattporten.outcomes import RedirectTo, with_session
from ansattporten.web.render import Renderer
from ansattporten.web.session_cookie import SESSION_COOKIE, session_cookie


def session_header(response: Response[Any]) -> str:
    [cookie] = [c for c in response.cookies if c.key == SESSION_COOKIE]
    return cookie.to_header(header="")


@pytest.mark.parametrize("secure", [True, False])
def test_an_authentication_sets_the_new_value(secure: bool) -> None:
    renderer = Renderer("nb", cookie_secure=secure)
    response = renderer.outcome(with_session(RedirectTo("https://x.test/"), "v" * 43), locale="nb")
    header = session_header(response)
    assert header.startswith(f"{SESSION_COOKIE}={'v' * 43};")
    attributes = {part.strip().lower() for part in header.split(";")[1:]}
    assert {"httponly", "samesite=lax", "path=/"} <= attributes
    assert ("secure" in attributes) is secure
    assert not any(a.startswith(("max-age", "expires")) for a in attributes)


def test_an_ended_session_clears_the_cookie() -> None:
    response = Renderer("nb").outcome(
        with_session(RedirectTo("https://x.test/"), None), locale="nb"
    )
    header = session_header(response)
    assert header.startswith(f'{SESSION_COOKIE}="";') or header.startswith(f"{SESSION_COOKIE}=;")
    assert "max-age=0" in header.lower() or "expires=" in header.lower()


def test_an_outcome_without_a_session_leaves_the_cookie_alone() -> None:
    response = Renderer("nb").outcome(RedirectTo("https://x.test/"), locale="nb")
    assert not [c for c in response.cookies if c.key == SESSION_COOKIE]


@pytest.mark.parametrize(
    ("value", "read"), [("v" * 43, True), ("", False), ("v" * 19, False), ("v" * 101, False)]
)
def test_only_a_plausible_value_is_read(value: str, read: bool) -> None:
    request: Any = SimpleNamespace(cookies={SESSION_COOKIE: value})
    assert (session_cookie(request) == value) is read
