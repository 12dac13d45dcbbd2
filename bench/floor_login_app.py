"""The floor login: the least a full RAR login can cost on the provider's stack
(Litestar on uvicorn with uvloop and httptools, one worker; aiohttp for the register;
RS256 with `cryptography`), for the paired benchmark (`python -m bench --only
floor-memory-1 --only node-sqlite-1`).

It speaks just enough of the wire protocol for the benchmark's client (`bench.flows`) to
log in against it unchanged, and does on each step what every real provider must do:

- discovery: a constant document;
- PAR: client_secret_basic checked, the RAR object decoded (msgspec), the request kept
  under a random `request_uri` (201);
- authorize: the pushed request taken (once), a browser-binding cookie set, 303 to the
  login page;
- login page: an HTML form (f-string) with a hidden anti-forgery value; its POST checks
  the cookie and that value and keeps the number, 303 to the picker;
- picker page: one HTTP call to the mock Altinn (authorized parties, aiohttp, the same
  request our source sends), decoded with msgspec, one radio per organisation holding
  the resource; its POST checks the cookie, the value and that the choice was offered,
  303 to `redirect_uri` with `code`, `state` and `iss`;
- token: client_secret_basic, the code taken (once), redirect_uri and PKCE S256 checked,
  an access token and an ID token signed (two RS256 signatures), JSON answer.

What it leaves out, and every real provider does more of: no database (three in-memory
dicts, entries removed when used), no sessions beyond the one flow, no templates or
languages, no audit, no rate limits, no second register call when the choice is granted
(ours and node-oidc-provider both ask Altinn again), no resource title, no refresh
tokens, no introspection (the discovery document names an endpoint only because the
benchmark's client reads the key; it is not served), no key rotation, no middleware.

The floor as designed (`--only floor-sqlite-1`; `FLOOR_DATABASE` names its file) adds
the three parts our design prescribes, and nothing else of the provider: the three
tables in an SQLite file (`floor_keep`), TestID's page and the picker from the
provider's own templates (`floor_pages`), and the register asked again when the choice
is made (DESIGN.md: the choice is always re-checked).
"""

from __future__ import annotations

import os
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Litestar, Request, get, post
from litestar.enums import MediaType
from litestar.response import Redirect, Response

from bench import config
from bench.floor_login_altinn import RegisterDown, eligible
from bench.floor_login_parts import (
    CSRF_FIELD,
    client_authenticated,
    form,
    login_page,
    picker_page,
    pkce_matches,
)
from bench.floor_login_state import (
    CODE_LIFETIME,
    COOKIE,
    DETAILS,
    PAR_LIFETIME,
    RAR_TYPE,
    REQUEST_URI_PREFIX,
    RESOURCE_PREFIX,
    Floor,
    Flow,
    Grant,
    Pushed,
)
from bench.floor_login_tokens import token_answer


def floor_of(request: Request[Any, Any, Any]) -> Floor:
    floor: Floor = request.app.state.floor
    return floor


def refuse(status: int, text: str) -> Response[str]:
    return Response(text, status_code=status, media_type=MediaType.TEXT)


def html(text: str) -> Response[str]:
    return Response(text, media_type=MediaType.HTML)


@get("/.well-known/openid-configuration", sync_to_thread=False)
def discovery(request: Request[Any, Any, Any]) -> Response[bytes]:
    return Response(floor_of(request).discovery, media_type=MediaType.JSON)


async def client_form(request: Request[Any, Any, Any]) -> dict[str, str] | None:
    """The back-channel request's form, if the client authenticated (Basic)."""
    if not client_authenticated(request.headers.get("authorization")):
        return None
    return form(await request.body())


@post("/par")
async def par(request: Request[Any, Any, Any]) -> Response[Any]:
    floor = floor_of(request)
    params = await client_form(request)
    if params is None:
        return refuse(401, "invalid_client")
    if (
        params.get("client_id", config.CLIENT_ID) != config.CLIENT_ID
        or params.get("response_type") != "code"
        or params.get("redirect_uri") != config.REDIRECT_URI
        or params.get("code_challenge_method") != "S256"
        or not params.get("code_challenge")
    ):
        return refuse(400, "invalid_request")
    try:
        details = DETAILS.decode(params.get("authorization_details", ""))
    except msgspec.DecodeError:
        return refuse(400, "invalid_authorization_details")
    wanted = [d for d in details if d.type == RAR_TYPE and d.resource.startswith(RESOURCE_PREFIX)]
    if len(wanted) != 1:
        return refuse(400, "invalid_authorization_details")
    request_uri = REQUEST_URI_PREFIX + secrets.token_urlsafe(24)
    floor.pushed.put(
        request_uri,
        Pushed(
            redirect_uri=params["redirect_uri"],
            state=params.get("state", ""),
            nonce=params.get("nonce", ""),
            challenge=params["code_challenge"],
            resource=wanted[0].resource,
            expires=time.time() + PAR_LIFETIME,
        ),
    )
    answer = msgspec.json.encode({"request_uri": request_uri, "expires_in": PAR_LIFETIME})
    return Response(answer, status_code=201, media_type=MediaType.JSON)


@get("/authorize", sync_to_thread=False)
def authorize(request: Request[Any, Any, Any]) -> Response[Any]:
    floor = floor_of(request)
    pushed = floor.pushed.take(request.query_params.get("request_uri", ""))
    if (
        pushed is None
        or pushed.expires < time.time()
        or request.query_params.get("client_id") != config.CLIENT_ID
    ):
        return refuse(400, "invalid_request_uri")
    flow_id, cookie = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    floor.flows.put(flow_id, Flow(pushed, cookie, secrets.token_urlsafe(16)))
    cookie_header = f"{COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Lax"
    return Redirect(f"/login/{flow_id}", status_code=303, headers={"Set-Cookie": cookie_header})


@get("/login/{flow_id:str}", sync_to_thread=False)
def login_form(request: Request[Any, Any, Any], flow_id: str) -> Response[Any]:
    floor = floor_of(request)
    flow = floor.flow(request, flow_id)
    if flow is None:
        return refuse(400, "no such login in this browser")
    if floor.pages is not None:
        return floor.pages.login(f"/login/{flow_id}", flow.csrf)
    return html(login_page(f"/login/{flow_id}", flow.csrf))


@post("/login/{flow_id:str}")
async def log_in(request: Request[Any, Any, Any], flow_id: str) -> Response[Any]:
    flow = floor_of(request).flow(request, flow_id)
    if flow is None:
        return refuse(400, "no such login in this browser")
    fields = form(await request.body())
    pid = fields.get("pid", "")
    if fields.get(CSRF_FIELD) != flow.csrf or not (len(pid) == 11 and pid.isdigit()):
        return refuse(400, "bad login form")
    flow.pid = pid
    floor_of(request).flows.put(flow_id, flow)
    return Redirect(f"/picker/{flow_id}", status_code=303)


@get("/picker/{flow_id:str}")
async def picker(request: Request[Any, Any, Any], flow_id: str) -> Response[Any]:
    floor = floor_of(request)
    flow = floor.flow(request, flow_id)
    if flow is None or not flow.pid:
        return refuse(400, "no such login in this browser")
    resource_id = flow.pushed.resource.removeprefix(RESOURCE_PREFIX)
    try:
        parties = await floor.altinn.authorized_parties(flow.pid, resource_id)
    except RegisterDown:
        return refuse(503, "Altinn did not answer; try again")
    flow.offered = dict(eligible(parties))
    floor.flows.put(flow_id, flow)
    if floor.pages is not None:
        return floor.pages.picker(f"/picker/{flow_id}", flow.csrf, parties)
    return html(picker_page(f"/picker/{flow_id}", flow.csrf, list(flow.offered.items())))


@post("/picker/{flow_id:str}")
async def choose(request: Request[Any, Any, Any], flow_id: str) -> Response[Any]:
    floor = floor_of(request)
    flow = floor.flow(request, flow_id)
    if flow is None:
        return refuse(400, "no such login in this browser")
    fields = form(await request.body())
    orgno = fields.get("party", "")
    if fields.get(CSRF_FIELD) != flow.csrf or orgno not in flow.offered:
        return refuse(400, "choose one of the organisations offered")
    pushed = flow.pushed
    if floor.designed:
        try:
            again = await floor.altinn.authorized_parties(
                flow.pid, pushed.resource.removeprefix(RESOURCE_PREFIX)
            )
        except RegisterDown:
            return refuse(503, "Altinn did not answer; try again")
        if orgno not in dict(eligible(again)):
            return refuse(403, "the register no longer offers that organisation")
    floor.flows.drop(flow_id)
    details = [
        {
            "type": RAR_TYPE,
            "resource": pushed.resource,
            "authorized_parties": [
                {
                    "orgno": {"authority": "iso6523-actorid-upis", "ID": f"0192:{orgno}"},
                    "resource": pushed.resource.removeprefix(RESOURCE_PREFIX),
                    "name": flow.offered[orgno],
                }
            ],
        }
    ]
    code = secrets.token_urlsafe(32)
    floor.codes.put(code, Grant(pushed, flow.pid, details, time.time() + CODE_LIFETIME))
    query = urlencode({"code": code, "state": pushed.state, "iss": floor.issuer})
    return Redirect(f"{pushed.redirect_uri}?{query}", status_code=303)


@post("/token")
async def token(request: Request[Any, Any, Any]) -> Response[Any]:
    floor = floor_of(request)
    fields = await client_form(request)
    if fields is None:
        return refuse(401, "invalid_client")
    if fields.get("grant_type") != "authorization_code":
        return refuse(400, "unsupported_grant_type")
    grant = floor.codes.take(fields.get("code", ""))
    if (
        grant is None
        or grant.expires < time.time()
        or fields.get("redirect_uri") != grant.pushed.redirect_uri
        or not pkce_matches(fields.get("code_verifier", ""), grant.pushed.challenge)
    ):
        return refuse(400, "invalid_grant")
    body = token_answer(floor.signer, floor.issuer, grant.pid, grant.pushed.nonce, grant.details)
    return Response(
        body,
        status_code=200,
        media_type=MediaType.JSON,
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def create_app(issuer: str, altinn_url: str, database: str | None = None) -> Litestar:
    """`database`: an SQLite file for the floor as designed; none for the bare floor."""
    floor = Floor(issuer, altinn_url, database)
    app = Litestar(
        [discovery, par, authorize, login_form, log_in, picker, choose, token],
        on_startup=[floor.altinn.start],
        on_shutdown=[floor.altinn.stop],
        openapi_config=None,
        logging_config=None,
    )
    app.state.floor = floor
    return app


ISSUER_VARIABLE = "FLOOR_ISSUER"
ALTINN_VARIABLE = "FLOOR_ALTINN_URL"
DATABASE_VARIABLE = "FLOOR_DATABASE"
"""Set (an SQLite file's path): the floor as designed."""


def from_environment() -> Litestar:
    """For `uvicorn --factory bench.floor_login_app:from_environment`."""
    return create_app(
        os.environ[ISSUER_VARIABLE],
        os.environ[ALTINN_VARIABLE],
        os.environ.get(DATABASE_VARIABLE) or None,
    )
