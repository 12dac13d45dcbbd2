"""A mock of Altinn Authorization that speaks Altinn's wire formats from a fixture file.

Run it on its own (``ansattporten mock-altinn --fixtures FILE``) and point the Altinn
source's `base_url` at it; the source cannot tell it from Altinn. What the fixture
holds and how access is resolved: `mock_world`, `mock_access`, `mock_parties`.

- ``POST /accessmanagement/api/v1/resourceowner/authorizedparties`` (also under
  ``serviceowner``): body ``{"type": "urn:altinn:person:identifier-no", "value": pid}``
  (other subject types: `mock_query`), optional ``partyFilter``; query flags
  ``anyOfResourceIds`` (repeated), ``includeRoles``, ``includeAccessPackages``,
  ``includeResources``, ``includeInstances``, ``includePartiesViaKeyRoles``,
  ``includeSubParties``, ``includeInactiveParties`` as Altinn binds them. Answers the
  bare array, sub-units nested; `[]` for an unknown person.
- ``GET /resourceregistry/api/v1/resource/{id}``: a registry entry; 404 when unknown.
- ``POST /authorization/api/v1/authorize``: the PDP, XACML JSON (multi-)requests with one
  access subject (`urn:altinn:person:identifier-no`), action categories and resource
  categories (`urn:altinn:resource` + `urn:altinn:organization:identifier-no`). Each
  result echoes the attributes marked `IncludeInResult`. `Permit` when the person's
  role, packages or direct delegations on that organisation give the action by the
  resource's policy; otherwise `NotApplicable`.
- ``GET /api/serviceowner/reportees?subject=&serviceCode=&serviceEdition=``: Altinn 2
  reportees (HAL) holding link service C:E (the resource `se_C_E`), `$top` (at most
  1000) and `$skip`; deleted units have `Status: "Inactive"`.
- ``GET /api/serviceowner/authorization/rights?subject=&reportee=&serviceCode=&
  serviceEdition=``: the person's rights on one link service for one reportee, from
  the resource's `rights`. Altinn 2 filters with OData (`$filter`); the mock takes
  plain parameters.
- ``GET /authentication/api/v1/exchange/maskinporten``: Maskinporten token in, Altinn
  token out (text), when the mock checks Maskinporten tokens (`mock_auth`).
- ``GET /health``: `Healthy`, never behind a token.
- ``PUT /_mock/fixture`` (only when built with `admin=True`): replace the fixture at run
  time, so a test can withdraw access between two steps of a login. Not an Altinn
  endpoint; a real deployment of the mock leaves it off.

`delay_ms` delays every answer (a slow register).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Litestar, Request, Response, get, post, put
from litestar.datastructures import State
from litestar.params import FromPath, QueryParameter

from authz_sources.altinn.mock_access import grants_for, holds, ordered_parties
from authz_sources.altinn.mock_auth import (
    ANY_VALID,
    PARTIES_SCOPES,
    PDP_SCOPES,
    Gate,
    MaskinportenGate,
    OpenGate,
    Refused,
    StaticTokenGate,
)
from authz_sources.altinn.mock_fixture import FixtureError, World, load_fixture
from authz_sources.altinn.mock_parties import authorized_parties as build_parties
from authz_sources.altinn.mock_pdp import decide
from authz_sources.altinn.mock_query import BindingError, parse_query, party_key, with_party_filter
from authz_sources.altinn.mock_wire import registry_entry, reportee_json, rights_json
from authz_sources.altinn.wire import SubjectAttribute, XacmlRequestRoot

DEMO_FIXTURE = Path(__file__).parent / "fixtures" / "demo.json"
"""The synthetic demo people and resources shipped with the project."""

_PAGE_MAX = 1000
_VALIDATION = "One or more validation errors occurred."


class MockAltinn:
    """One mock's data (replaceable at run time) and the gate in front of it."""

    def __init__(self, world: World, gate: Gate) -> None:
        self.world = world
        self.gate = gate


def _json(body: Any, status: int = 200, media_type: str = "application/json") -> Response[bytes]:
    """A JSON answer encoded by msgspec (fast for the accountant's 300 clients)."""
    return Response(msgspec.json.encode(body), status_code=status, media_type=media_type)


def _problem(status: int, title: str, detail: str, **extra: Any) -> Response[bytes]:
    """An RFC 9457 ProblemDetails answer, as Altinn's ASP.NET services send."""
    body = {
        "type": f"https://tools.ietf.org/html/rfc9110#section-15.5.{status - 399}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    return _json(body, status, "application/problem+json")


def _mock(request: Request[Any, Any, Any]) -> MockAltinn:
    mock: MockAltinn = request.app.state["altinn"]
    return mock


async def _guard(request: Request[Any, Any, Any], scopes: tuple[str, ...] | None) -> None:
    await _mock(request).gate.check(request.headers.get("authorization", ""), scopes)


@post(
    [
        "/accessmanagement/api/v1/resourceowner/authorizedparties",
        "/accessmanagement/api/v1/serviceowner/authorizedparties",
    ],
    status_code=200,
)
async def authorized_parties(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The parties the subject may represent, with sub-units nested under main units."""
    await _guard(request, PARTIES_SCOPES)
    world = _mock(request).world
    try:
        query = parse_query(request.scope["query_string"])
    except BindingError as exc:
        return _problem(400, _VALIDATION, str(exc), errors=exc.errors)
    try:
        subject = msgspec.json.decode(await request.body(), type=SubjectAttribute)
        receiver = party_key(world, subject)
        query = with_party_filter(world, query, subject)
    except (msgspec.DecodeError, ValueError) as exc:
        return _problem(400, _VALIDATION, str(exc))
    if receiver is None:
        return _json([])
    return _json(build_parties(world, receiver, query))


@get("/resourceregistry/api/v1/resource/{resource_id:str}")
async def resource(request: Request[Any, Any, Any], resource_id: FromPath[str]) -> Response[bytes]:
    """One resource-registry entry (open, as Altinn's registry is)."""
    await _guard(request, None)
    entry = _mock(request).world.resources.get(resource_id)
    if entry is None:
        return _problem(404, "Not Found", f"no resource {resource_id!r}")
    return _json(registry_entry(entry))


@post("/authorization/api/v1/authorize", status_code=200)
async def authorize(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The PDP (see the module docstring)."""
    await _guard(request, PDP_SCOPES)
    try:
        root = msgspec.json.decode(await request.body(), type=XacmlRequestRoot)
        return _json(decide(_mock(request).world, root.request))
    except (msgspec.DecodeError, ValueError) as exc:
        return _problem(400, "Bad XACML request", str(exc))


def _service_args(code: str | None, edition: str | None, subject: str | None) -> str | None:
    """Why the Altinn 2 parameters are unusable, or None when they are fine."""
    if not subject:
        return "`subject` is required"
    if not (code and code.isdigit() and edition and edition.isdigit()):
        return "`serviceCode` and `serviceEdition` must be numbers"
    return None


@get("/api/serviceowner/reportees")
async def reportees(
    request: Request[Any, Any, Any],
    subject: Annotated[str | None, QueryParameter(name="subject")] = None,
    code: Annotated[str | None, QueryParameter(name="serviceCode")] = None,
    edition: Annotated[str | None, QueryParameter(name="serviceEdition")] = None,
    top: Annotated[int, QueryParameter(name="$top", ge=1, le=_PAGE_MAX)] = _PAGE_MAX,
    skip: Annotated[int, QueryParameter(name="$skip", ge=0)] = 0,
) -> Response[bytes]:
    """Altinn 2 reportees of the person for one link service (HAL JSON)."""
    await _guard(request, ANY_VALID)
    problem = _service_args(code, edition, subject)
    if problem or subject is None:
        return _problem(400, "Bad Request", problem or "")
    world = _mock(request).world
    grants = grants_for(world, subject)
    resource_id = f"se_{code}_{edition}"
    found = [
        reportee_json(world, key)
        for key in ordered_parties(world, grants)
        if holds(world, grants, key, resource_id)
    ]
    body = {
        "_links": {"self": {"href": str(request.url)}},
        "_embedded": {"reportees": found[skip : skip + top]},
    }
    return _json(body, media_type="application/hal+json")


@get("/api/serviceowner/authorization/rights")
async def rights(
    request: Request[Any, Any, Any],
    subject: Annotated[str | None, QueryParameter(name="subject")] = None,
    reportee: Annotated[str | None, QueryParameter(name="reportee")] = None,
    code: Annotated[str | None, QueryParameter(name="serviceCode")] = None,
    edition: Annotated[str | None, QueryParameter(name="serviceEdition")] = None,
) -> Response[bytes]:
    """The person's rights on one link service for one reportee."""
    await _guard(request, ANY_VALID)
    problem = _service_args(code, edition, subject)
    if not reportee:
        problem = problem or "`reportee` is required"
    if problem or subject is None or reportee is None or code is None or edition is None:
        return _problem(400, "Bad Request", problem or "")
    world = _mock(request).world
    resource_id = f"se_{code}_{edition}"
    entry = world.resources.get(resource_id)
    held = entry is not None and holds(world, grants_for(world, subject), reportee, resource_id)
    return _json(rights_json(entry.rights if held and entry else (), code, int(edition)))


@get("/authentication/api/v1/exchange/maskinporten", media_type="text/plain")
async def exchange(request: Request[Any, Any, Any]) -> Response[str]:
    """A Maskinporten token exchanged for an Altinn token (the body is the JWT)."""
    gate = _mock(request).gate
    if not isinstance(gate, MaskinportenGate):
        return Response("token exchange is not configured", status_code=404)
    token = await gate.exchange(request.headers.get("authorization", ""))
    return Response(token, media_type="text/plain")


@get("/health", media_type="text/plain")
async def health() -> str:
    """Liveness, like ASP.NET's health checks; never needs a token."""
    return "Healthy"


@put("/_mock/fixture", status_code=200)
async def replace_fixture(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Swap in a new fixture (validated first; the old one stays if it is bad)."""
    try:
        world = load_fixture(json.loads(await request.body()))
    except (ValueError, FixtureError) as exc:
        return _problem(400, "Bad fixture", str(exc))
    _mock(request).world = world
    return Response(b"", status_code=204)


def _refused(_: Request[Any, Any, Any], exc: Refused) -> Response[bytes]:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
    response = _problem(exc.status, "Unauthorized" if exc.status == 401 else "Forbidden", str(exc))
    response.headers.update(headers)
    return response


def create_mock_app(
    fixtures: Path | Mapping[str, Any],
    *,
    delay_ms: int = 0,
    required_token: str | None = None,
    gate: Gate | None = None,
    admin: bool = False,
) -> Litestar:
    """Build the mock from a fixture file or mapping (validated now, FixtureError if bad).

    `gate` decides who may call (see `mock_auth`); `required_token` is shorthand for a
    `StaticTokenGate`; neither means anyone may.
    """
    if gate is None:
        gate = StaticTokenGate(required_token) if required_token is not None else OpenGate()
    state = MockAltinn(load_fixture(fixtures), gate)

    async def before_request(_: Request[Any, Any, Any]) -> None:
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)

    handlers: list[Any] = [authorized_parties, resource, authorize, reportees, rights]
    handlers += [exchange, health] + ([replace_fixture] if admin else [])
    return Litestar(
        route_handlers=handlers,
        before_request=before_request,
        exception_handlers={Refused: _refused},
        state=State({"altinn": state}),
        openapi_config=None,
    )
