"""Driving a login over real HTTP the way a service and a browser would, without a
real browser: the service pushes the request and redeems the code; the "browser" is an
httpx client with a cookie jar that follows the provider's pages and forms.

`start` begins a login that authenticates: it forgets the provider's session cookie
first, as a person logging in anew in a fresh browser would, so a driver used for several
logins gets the eID page each time. `start(keep_session=True)` keeps it, for the tests of
isolated sessions (a second login to the same service is then silent)."""

from __future__ import annotations

import json
import re
import secrets
import ssl
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx

from ansattporten.spec.rfc7636 import s256

CLIENTS = {
    "confidential-service": (
        "confidential-secret-0123456789",
        "http://service.test/callback",
        "client_secret_basic",
    ),
    "post-service": ("post-secret-0123456789", "http://post.test/callback", "client_secret_post"),
    "public-spa": (None, "http://spa.test/callback", "none"),
    "second-service": (
        "second-secret-0123456789",
        "http://second.test/callback",
        "client_secret_basic",
    ),
    "logout-service": (
        "logout-secret-0123456789",
        "http://127.0.0.1/logout-service/callback",
        "client_secret_basic",
    ),
    "public-logout-service": (
        "public-logout-secret-0123456789",
        "http://127.0.0.1/public-logout-service/callback",
        "client_secret_basic",
    ),
    "front-service": (
        "front-secret-0123456789",
        "http://127.0.0.1/front-service/callback",
        "client_secret_basic",
    ),
}
"""The clients of tests/fixtures/provider.toml (and `logout-service` and `front-service`, which
the tests of isolated sessions register with their own back- and front-channel logout
URIs), with
what a service needs to use them."""

SESSION_COOKIE = "ap_session"

TLS = ssl.create_default_context()
"""One TLS context for every test client: httpx builds a new one per client otherwise,
which costs ~30 ms each (the provider is plain http in tests, but clients build it)."""


@dataclass
class Form:
    action: str
    fields: dict[str, str]


def forms_of(html: str) -> list[Form]:
    """The POST forms of a page with their hidden fields (enough to post them back)."""
    found = []
    for match in re.finditer(r"<form\b([^>]*)>(.*?)</form>", html, re.S | re.I):
        attributes, body = match.groups()
        if 'method="post"' not in attributes.lower():
            continue
        action = unescape(re.search(r'action="([^"]*)"', attributes).group(1))  # type: ignore[union-attr]
        hidden = dict(
            (unescape(name), unescape(value))
            for name, value in re.findall(
                r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', body
            )
        )
        found.append(Form(action, hidden))
    return found


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


@dataclass
class LoginDriver:
    base_url: str
    client_id: str = "confidential-service"
    browser: httpx.Client = field(init=False)
    service: httpx.Client = field(init=False)
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    state: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    registration: tuple[str | None, str, str] | None = None
    """(secret, redirect_uri, auth method) of a client not in `CLIENTS`."""

    def __post_init__(self) -> None:
        self.browser = httpx.Client(
            base_url=self.base_url, follow_redirects=False, timeout=30, verify=TLS
        )
        self.service = httpx.Client(
            base_url=self.base_url, follow_redirects=False, timeout=30, verify=TLS
        )

    def close(self) -> None:
        self.browser.close()
        self.service.close()

    @property
    def registered(self) -> tuple[str | None, str, str]:
        return self.registration or CLIENTS[self.client_id]

    @property
    def secret(self) -> str | None:
        return self.registered[0]

    @property
    def redirect_uri(self) -> str:
        return self.registered[1]

    def client_auth(self) -> tuple[dict[str, str], tuple[str, str] | None]:
        method = self.registered[2]
        if method == "client_secret_basic":
            return {}, (self.client_id, self.secret or "")
        if method == "client_secret_post":
            return {"client_id": self.client_id, "client_secret": self.secret or ""}, None
        return {"client_id": self.client_id}, None

    def params(
        self, details: list[dict[str, Any]] | None = None, **overrides: Any
    ) -> dict[str, str]:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid",
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": s256(self.verifier),
            "code_challenge_method": "S256",
        }
        if details is not None:
            params["authorization_details"] = json.dumps(details)
        params.update(overrides)
        return {k: v for k, v in params.items() if v is not None}

    # the service's side ------------------------------------------------------------------

    def push(self, params: dict[str, str]) -> httpx.Response:
        extra, auth = self.client_auth()
        return self.service.post("/par", data={**params, **extra}, auth=auth)  # type: ignore[arg-type]

    def redeem(self, code: str, **overrides: str | None) -> httpx.Response:
        extra, auth = self.client_auth()
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": self.verifier,
            **extra,
        }
        data.update(overrides)  # type: ignore[arg-type]
        return self.service.post(
            "/token",
            data={k: v for k, v in data.items() if v is not None},
            auth=auth,  # type: ignore[arg-type]
        )

    # the browser's side ------------------------------------------------------------------

    def authorize(self, params: dict[str, str]) -> httpx.Response:
        return self.browser.get("/authorize", params=params)

    def start(
        self,
        details: list[dict[str, Any]] | None = None,
        *,
        via_par: bool = True,
        keep_session: bool = False,
        **overrides: Any,
    ) -> str:
        """Begin a login; returns the URL of the eID page. Without `keep_session` the
        provider's session cookie is forgotten first: this login authenticates."""
        if not keep_session:
            self.forget_session()
        response = self.begin(details, via_par=via_par, **overrides)
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        assert "/login/" in location, location
        return location

    def begin(
        self, details: list[dict[str, Any]] | None = None, *, via_par: bool = True, **overrides: Any
    ) -> httpx.Response:
        """/authorize's answer to a new request (pushed first with `via_par`), in this
        browser as it is: a silent login, the eID, or an error."""
        params = self.params(details, **overrides)
        if via_par:
            pushed = self.push(params)
            assert pushed.status_code == 201, pushed.text
            params = {"client_id": self.client_id, "request_uri": pushed.json()["request_uri"]}
        return self.authorize(params)

    def forget_session(self) -> None:
        """The browser forgets the provider's session cookie (a new browser, as far as
        sessions go; the login-binding cookie stays)."""
        for cookie in list(self.browser.cookies.jar):
            if cookie.name == SESSION_COOKIE:
                self.browser.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)

    @property
    def session_cookie(self) -> str | None:
        return next((c.value for c in self.browser.cookies.jar if c.name == SESSION_COOKIE), None)

    def login(
        self, login_url: str, pid: str, acr: str = "idporten-loa-substantial"
    ) -> httpx.Response:
        page = self.browser.get(login_url)
        assert page.status_code == 200, page.text
        form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
        return self.browser.post(form.action, data={**form.fields, "pid": pid, "acr": acr})

    def choose(
        self,
        picker_url: str,
        *,
        parties: list[str] | None = None,
        self_choice: bool = False,
        csrf: str | None = None,
    ) -> httpx.Response:
        page = self.browser.get(picker_url)
        form = next(f for f in forms_of(page.text) if "/organisation/" in f.action)
        data: list[tuple[str, str]] = list(form.fields.items())
        if csrf is not None:
            data = [(k, v) for k, v in data if k != "csrf_token"] + [("csrf_token", csrf)]
        data += [("party", orgno) for orgno in parties or []]
        data.append(("self", "1") if self_choice else ("choose", "1"))
        return self.post_form(form.action, data)

    def post_form(self, url: str, pairs: list[tuple[str, str]]) -> httpx.Response:
        """Post repeated fields (several `party` values) as a browser does."""
        return self.browser.post(
            url,
            content=urlencode(pairs),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def callback(self, response: httpx.Response) -> dict[str, str]:
        """The parameters the browser would bring back to the service."""
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        assert location.startswith(self.redirect_uri), location
        return query_of(location)

    def login_for_code(
        self, pid: str, details: list[dict[str, Any]] | None = None, **overrides: Any
    ) -> str:
        callback = self.callback(self.login(self.start(details, **overrides), pid))
        assert callback["state"] == self.state
        return callback["code"]
