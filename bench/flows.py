"""One login, one code redemption, one refresh, one introspection, over HTTP, the same
way against either provider.

Endpoints come from each provider's discovery document. The "browser" is a
`bench.wire.Session` with its own cookie jar, emptied before every login (a new browser
session each time: neither ours, through its isolated session for the same client, nor
theirs, through a remembered session or grant, may skip the login). It follows
redirects itself and fills in whichever POST form the page has: the one with a `pid`
field (log in as the test person) or the one with `party` fields (pick the
organisation). The picker step is timed from the answer to the login POST to the
redirect back to the client, so it is GET + POST of our `/organisation/{id}`, and
theirs' resume redirects + GET + POST of its interaction.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlparse, urlsplit

from bench import config
from bench.wire import Response, Session

MAX_HOPS = 12


class FlowError(RuntimeError):
    """A step answered something a working login does not; the message says what."""


def snippet(text: str, length: int = 160) -> str:
    """The start of an answer body on one line (HTML tags dropped), for error messages."""
    return " ".join(re.sub(r"<[^>]*>", " ", text).split())[:length]


@dataclass(frozen=True)
class Target:
    """A provider under test, as its discovery document describes it."""

    name: str
    issuer: str
    par: str
    authorize: str
    token: str
    introspect: str
    grant_types: tuple[str, ...]
    extra_params: dict[str, str] = field(default_factory=dict)
    """Added to every pushed request (theirs: the resource indicator, when asked)."""

    @classmethod
    async def discover(cls, name: str, base_url: str, http: Session) -> Target:
        response = await http.get(f"{base_url}/.well-known/openid-configuration")
        if response.status_code != 200:
            raise FlowError(f"discovery {response.status_code}")
        meta = response.json()
        return cls(
            name=name,
            issuer=meta["issuer"],
            par=meta["pushed_authorization_request_endpoint"],
            authorize=meta["authorization_endpoint"],
            token=meta["token_endpoint"],
            introspect=meta["introspection_endpoint"],
            grant_types=tuple(meta.get("grant_types_supported", ["authorization_code"])),
        )

    @property
    def supports_refresh(self) -> bool:
        return "refresh_token" in self.grant_types


@dataclass
class Login:
    code: str
    verifier: str
    seconds: float
    picker_seconds: float


@dataclass
class Form:
    action: str
    hidden: list[tuple[str, str]]
    names: set[str]
    values: dict[str, list[str]]


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_INPUT = re.compile(r"<(?:input|button)\b([^>]*)>", re.I)
_ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')


def post_forms(html: str) -> list[Form]:
    forms = []
    for attributes, body in _FORM.findall(html):
        attrs = {k.lower(): unescape(v) for k, v in _ATTR.findall(attributes)}
        if attrs.get("method", "get").lower() != "post":
            continue
        form = Form(attrs.get("action", ""), [], set(), {})
        for tag in _INPUT.findall(body):
            field_attrs = {k.lower(): unescape(v) for k, v in _ATTR.findall(tag)}
            name = field_attrs.get("name")
            if not name:
                continue
            form.names.add(name)
            form.values.setdefault(name, []).append(field_attrs.get("value", ""))
            if field_attrs.get("type", "").lower() == "hidden":
                form.hidden.append((name, field_attrs.get("value", "")))
        forms.append(form)
    return forms


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


CLIENT_AUTH = (config.CLIENT_ID, config.CLIENT_SECRET)


async def push(
    target: Target, service: Session, challenge: str, state: str, extra: dict[str, str]
) -> str:
    params = {
        "response_type": "code",
        "client_id": config.CLIENT_ID,
        "redirect_uri": config.REDIRECT_URI,
        "scope": "openid",
        "state": state,
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "authorization_details": json.dumps(config.AUTHORIZATION_DETAILS),
        **target.extra_params,
        **extra,
    }
    response = await service.post(target.par, data=params, auth=CLIENT_AUTH)
    if response.status_code != 201:
        raise FlowError(f"PAR {response.status_code}: {snippet(response.text)}")
    request_uri: str = response.json()["request_uri"]
    return request_uri


async def login(
    target: Target,
    browser: Session,
    service: Session,
    pid: str,
    extra: dict[str, str] | None = None,
) -> Login:
    """PAR, /authorize, the login form, the picker (with the register lookup), and the
    code back at the client's redirect_uri."""
    started = time.perf_counter()
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    request_uri = await push(target, service, challenge, state, extra or {})
    browser.cookies.clear()
    response = await browser.get(
        target.authorize, params={"client_id": config.CLIENT_ID, "request_uri": request_uri}
    )
    logged_in_at: float | None = None
    for _ in range(MAX_HOPS):
        if response.is_redirect:
            location = urljoin(response.url, response.headers["location"])
            if location.startswith(config.REDIRECT_URI):
                done = time.perf_counter()
                code = _code_from(location, state)
                picker = done - logged_in_at if logged_in_at is not None else 0.0
                return Login(code, verifier, done - started, picker)
            response = await browser.get(location)
            continue
        if response.status_code != 200:
            raise FlowError(
                f"{urlsplit(response.url).path} {response.status_code}: {snippet(response.text)}"
            )
        form = _fill(response, pid)
        response = await browser.post(
            urljoin(response.url, form[0]),
            content=form[1],
        )
        if form[2] == "login":
            logged_in_at = time.perf_counter()
    raise FlowError(f"no code after {MAX_HOPS} steps (last: {urlsplit(response.url).path})")


def _fill(page: Response, pid: str) -> tuple[str, str, str]:
    """The form to post next as (action, urlencoded body, which step)."""
    forms = post_forms(page.text)
    for form in forms:
        if "pid" in form.names:
            pairs = [*form.hidden, ("pid", pid), ("acr", "idporten-loa-substantial")]
            return form.action, urlencode(pairs), "login"
    for form in forms:
        if "party" in form.names:
            offered = form.values["party"]
            if config.ORGNO not in offered:
                raise FlowError(f"the picker does not offer {config.ORGNO}: {offered}")
            pairs = [*form.hidden, ("party", config.ORGNO), ("choose", "1")]
            return form.action, urlencode(pairs), "picker"
    raise FlowError(f"{urlsplit(page.url).path}: no login or picker form in the page")


def _code_from(location: str, state: str) -> str:
    query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
    if "code" not in query:
        raise FlowError(f"back at the client without a code: {query}")
    if query.get("state") != state:
        raise FlowError("state mismatch")
    return query["code"]


async def _token_request(target: Target, service: Session, data: dict[str, str]) -> dict[str, Any]:
    response = await service.post(target.token, data=data, auth=CLIENT_AUTH)
    if response.status_code != 200:
        raise FlowError(f"token {response.status_code}: {snippet(response.text)}")
    body: dict[str, Any] = response.json()
    if "access_token" not in body:
        raise FlowError(f"token answer without access_token: {list(body)}")
    return body


async def redeem(target: Target, service: Session, login: Login) -> dict[str, Any]:
    body = await _token_request(
        target,
        service,
        {
            "grant_type": "authorization_code",
            "code": login.code,
            "redirect_uri": config.REDIRECT_URI,
            "code_verifier": login.verifier,
        },
    )
    if "id_token" not in body:
        raise FlowError("token answer without id_token")
    return body


async def full_login(target: Target, browser: Session, service: Session, pid: str) -> Login:
    """`login`, then its code redeemed at the token endpoint: the whole of one login."""
    done = await login(target, browser, service, pid)
    await redeem(target, service, done)
    return done


async def refresh(target: Target, service: Session, refresh_token: str) -> str:
    """One refresh; returns the rotated refresh token."""
    body = await _token_request(
        target, service, {"grant_type": "refresh_token", "refresh_token": refresh_token}
    )
    rotated = body.get("refresh_token")
    if not rotated or rotated == refresh_token:
        raise FlowError("the refresh token was not rotated")
    return str(rotated)


async def introspect(target: Target, service: Session, token: str) -> None:
    response = await service.post(target.introspect, data={"token": token}, auth=CLIENT_AUTH)
    if response.status_code != 200:
        raise FlowError(f"introspection {response.status_code}: {snippet(response.text)}")
    body = response.json()
    if body.get("active") is not True:
        raise FlowError(f"introspection says inactive: {body}")
    if not body.get("authorization_details"):
        raise FlowError("introspection without authorization_details")
