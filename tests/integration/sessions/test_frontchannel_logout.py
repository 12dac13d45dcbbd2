"""Front-channel logout (OpenID Front-Channel Logout 1.0) over real HTTP: the logout page
frames the service's front-channel logout URI with `iss` and `sid`, under a CSP that
allows framing exactly that origin; a logout that names a service ends only its session,
and one that names none ends all of the browser's."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from tests.integration.sessions.conftest import PID, MakeDriver
from tests.integration.sessions.session_steps import authenticate, where
from tests.support.logout_receiver import LogoutReceiver
from tests.support.provider import RunningProvider


def frames_of(html: str) -> list[str]:
    return [unescape(src) for src in re.findall(r'<iframe[^>]*\bsrc="([^"]*)"', html)]


def test_the_logout_page_frames_the_services_logout_uri_with_iss_and_sid(
    make_driver: MakeDriver,
    session_provider: RunningProvider,
    receiver: tuple[LogoutReceiver, str],
) -> None:
    origin = receiver[1].rsplit("/", 1)[0]
    front = make_driver("front-service")
    claims = authenticate(front, PID)
    assert claims["sid"]  # frontchannel_logout_session_required: id_tokens carry sid
    back = make_driver("logout-service", browser=front)
    authenticate(back, PID, keep_session=True)

    page = front.browser.get(
        "/logout",
        params={
            "client_id": "front-service",
            "post_logout_redirect_uri": f"{origin}/logged-out",
            "state": "st",
        },
    )
    assert page.status_code == 200, page.text
    [frame] = frames_of(page.text)
    parts = urlsplit(frame)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{origin}/frontchannel"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {"x": "1", "iss": session_provider.settings.issuer, "sid": claims["sid"]}
    csp = page.headers["content-security-policy"]
    assert f"frame-src {origin}" in csp
    assert f'href="{origin}/logged-out?state=st"' in page.text

    assert where(front.begin()) == "eid"
    assert where(back.begin()) == "service"  # only the named service's session ended
    other_page = front.browser.get("/.well-known/openid-configuration")
    assert "frame-src" not in other_page.headers.get("content-security-policy", "")


def test_a_logout_naming_no_service_ends_all_the_browsers_sessions(
    make_driver: MakeDriver,
) -> None:
    front = make_driver("front-service")
    authenticate(front, PID)
    back = make_driver("logout-service", browser=front)
    authenticate(back, PID, keep_session=True)
    assert front.session_cookie

    page = front.browser.get("/logout")
    assert page.status_code == 200
    assert len(frames_of(page.text)) == 1  # front-service's; logout-service is told by POST
    assert front.session_cookie is None  # the browser's session is gone, its cookie too
    assert where(front.begin()) == "eid"
    assert where(back.begin()) == "eid"
