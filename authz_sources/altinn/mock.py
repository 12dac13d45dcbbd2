"""A mock of Altinn Authorization that speaks Altinn's wire format from a fixture file.

Run it on its own (``python -m authz_sources.altinn.mock --port 8101``) and point the
Altinn source's `base_url` at it; the source cannot tell it from Altinn. Endpoints:

- ``POST /accessmanagement/api/v1/resourceowner/authorizedparties`` — body
  ``{"type": "urn:altinn:person:identifier-no", "value": pid}``; answers the bare array
  of the person's authorized parties (sub-units nested), `[]` for an unknown person.
  Query flags (`includeAltinn2`, ...) are accepted and ignored: the mock always answers
  with everything the fixture holds.
- ``GET /resourceregistry/api/v1/resource/{id}`` — a resource-registry entry; 404 when
  unknown.
- ``POST /authorization/api/v1/authorize`` — the PDP, a simplification of Altinn's XACML
  JSON multi-request: one access subject (`urn:altinn:person:identifier-no`), any number
  of action categories (`...:action-id`) and resource categories (`urn:altinn:resource` +
  `urn:altinn:organization:identifier-no`), combined by `MultiRequests`. Each result
  echoes the attributes marked `IncludeInResult`, as the XACML profile does. A decision
  is `Permit` when the person's party holds the resource and the action is in the
  resource's fixture `actions` and not in its `denied_actions` for that party; otherwise
  `NotApplicable`. Real Altinn evaluates policies; the fixture stands in for them.
- ``GET /api/serviceowner/reportees?subject=&serviceCode=&serviceEdition=`` — Altinn 2
  reportees (HAL); a party is a reportee for link service C:E when it holds `se_C_E`.
  Supports `$top` (default and maximum 1000) and `$skip`. Deleted units have
  `Status: "Inactive"`.
- ``GET /api/serviceowner/authorization/rights?subject=&reportee=&serviceCode=&serviceEdition=``
  — the person's rights on one link service for one reportee: ``{"Rights": [{"Action",
  "ServiceCode", "ServiceEditionCode", "RightType"}]}``, taken from the fixture resource's
  `rights`. Altinn 2 filters this with OData (`$filter`); the mock takes plain parameters.
- ``GET /health`` — `Healthy`, never behind the token check.

`delay_ms` delays every answer (a slow register); `required_token` makes every endpoint
but `/health` answer 401 unless `Authorization: Bearer <token>` is sent.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Litestar, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, QueryParameter

from authz_sources.altinn.mock_fixture import MockData, load_fixture
from authz_sources.altinn.mock_pdp import decide
from authz_sources.altinn.mock_wire import registry_entry, reportee_json, rights_json
from authz_sources.altinn.wire import PERSON_IDENTIFIER, SubjectAttribute, XacmlRequestRoot

DEMO_FIXTURE = Path(__file__).parent / "fixtures" / "demo.json"
"""The synthetic demo people and resources shipped with the project."""

_PAGE_MAX = 1000


def _json(body: Any, status: int = 200, media_type: str = "application/json") -> Response[bytes]:
    """A JSON answer encoded by msgspec (fast for the accountant's 300 clients)."""
    return Response(msgspec.json.encode(body), status_code=status, media_type=media_type)


def _problem(status: int, title: str, detail: str) -> Response[bytes]:
    """An RFC 9457 ProblemDetails answer, as Altinn's ASP.NET services send."""
    body = {
        "type": f"https://tools.ietf.org/html/rfc9110#section-15.5.{status - 399}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    return _json(body, status, "application/problem+json")


def _data(request: Request[Any, Any, Any]) -> MockData:
    """The fixture loaded into this app instance."""
    data: MockData = request.app.state["altinn_data"]
    return data


@post("/accessmanagement/api/v1/resourceowner/authorizedparties", status_code=200)
async def authorized_parties(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The parties the person may represent, with sub-units nested under main units."""
    try:
        subject = msgspec.json.decode(await request.body(), type=SubjectAttribute)
    except msgspec.DecodeError as exc:
        return _problem(400, "One or more validation errors occurred.", str(exc))
    if subject.type != PERSON_IDENTIFIER:
        return _problem(
            400,
            "One or more validation errors occurred.",
            f"unsupported party attribute {subject.type!r}; the mock knows {PERSON_IDENTIFIER}",
        )
    return _json(_data(request).parties.get(subject.value, []))


@get("/resourceregistry/api/v1/resource/{resource_id:str}")
async def resource(request: Request[Any, Any, Any], resource_id: FromPath[str]) -> Response[bytes]:
    """One resource-registry entry."""
    entry = _data(request).resources.get(resource_id)
    if entry is None:
        return _problem(404, "Not Found", f"no resource {resource_id!r}")
    return _json(registry_entry(entry))


@post("/authorization/api/v1/authorize", status_code=200)
async def authorize(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The simplified PDP (see the module docstring)."""
    try:
        root = msgspec.json.decode(await request.body(), type=XacmlRequestRoot)
        return _json(decide(_data(request), root.request))
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
    problem = _service_args(code, edition, subject)
    if problem or subject is None:
        return _problem(400, "Bad Request", problem or "")
    resource_id = f"se_{code}_{edition}"
    data = _data(request)
    found = [
        reportee_json(h.party, h.parent)
        for h in data.holdings(subject)
        if data.holds(h.party, resource_id)
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
    problem = _service_args(code, edition, subject)
    if not reportee:
        problem = problem or "`reportee` is required"
    if problem or subject is None or reportee is None or code is None or edition is None:
        return _problem(400, "Bad Request", problem or "")
    data = _data(request)
    holding = data.find(subject, reportee)
    resource_id = f"se_{code}_{edition}"
    entry = data.resources.get(resource_id)
    held = holding is not None and entry is not None and data.holds(holding.party, resource_id)
    actions = entry.rights if held and entry is not None else []
    return _json(rights_json(actions, code, int(edition)))


@get("/health", media_type="text/plain")
async def health() -> str:
    """Liveness, like ASP.NET's health checks; never needs a token."""
    return "Healthy"


def create_mock_app(
    fixtures: Path | Mapping[str, Any],
    *,
    delay_ms: int = 0,
    required_token: str | None = None,
) -> Litestar:
    """Build the mock from a fixture file or mapping (validated now, FixtureError if bad)."""
    data = load_fixture(fixtures)

    async def before_request(request: Request[Any, Any, Any]) -> Response[bytes] | None:
        """Delay every answer, then enforce the bearer token (not on /health)."""
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        if required_token is None or request.url.path == "/health":
            return None
        sent = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(sent, f"Bearer {required_token}".encode()):
            return _problem(401, "Unauthorized", "a valid bearer token is required")
        return None

    return Litestar(
        route_handlers=[authorized_parties, resource, authorize, reportees, rights, health],
        before_request=before_request,
        state=State({"altinn_data": data}),
        openapi_config=None,
    )


def main(argv: list[str] | None = None) -> None:
    """Serve the mock with uvicorn (for running the whole chain on one machine)."""
    import uvicorn

    parser = argparse.ArgumentParser(description="Mock Altinn Authorization")
    parser.add_argument("--fixture", type=Path, default=DEMO_FIXTURE)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--required-token", default=None)
    args = parser.parse_args(argv)
    app = create_mock_app(args.fixture, delay_ms=args.delay_ms, required_token=args.required_token)
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
