"""A small API protected by Ansattporten's access tokens.

`GET /api/organisations` with `Authorization: Bearer <access token>`:

- 200 `{"resource", "acting_for": [{"orgno", "name", "unit_type", "actions"}], ...}` when
  the token is valid and its `authorization_details` grant the expected Altinn resource
  for at least one organisation;
- 401 with `WWW-Authenticate: Bearer error="invalid_token"` for a token that cannot be
  trusted (signature, issuer, expiry, not an `at+jwt`), or without the error code when
  no token was sent (RFC 6750 3.1);
- 403 with `error="insufficient_scope"` when the token is fine but does not grant the
  resource (the person represented themself, or chose for another resource).

Run: `python -m examples.example_api --issuer http://127.0.0.1:8000 --port 8004`.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request, Response, get

from examples.common.access_tokens import AccessTokenValidator, InvalidToken

RESOURCE = "urn:altinn:resource:app_ttd_apps-test"
RESOURCE_TYPE = "ansattporten:altinn:resource"
REALM = "example-api"


def problem(status: int, error: str | None, description: str) -> Response[dict[str, str]]:
    challenge = f'Bearer realm="{REALM}"'
    if error:
        challenge += f', error="{error}", error_description="{description}"'
    body = {"error": error or "invalid_request", "error_description": description}
    return Response(body, status_code=status, headers={"WWW-Authenticate": challenge})


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def acting_for(claims: dict[str, Any], resource: str) -> list[dict[str, Any]]:
    """The organisations the token's `authorization_details` grant `resource` for."""
    found: list[dict[str, Any]] = []
    details = claims.get("authorization_details")
    for detail in details if isinstance(details, list) else []:
        if not isinstance(detail, dict) or detail.get("type") != RESOURCE_TYPE:
            continue
        if detail.get("resource") != resource:
            continue
        for party in detail.get("authorized_parties") or []:
            orgno = str(party.get("orgno", {}).get("ID", "")).removeprefix("0192:")
            found.append(
                {
                    "orgno": orgno,
                    "name": party.get("name"),
                    "unit_type": party.get("unit_type"),
                    "actions": party.get("actions", []),
                }
            )
    return found


def create_example_api(
    *, issuer: str, resource: str = RESOURCE, audience: str | None = None
) -> Litestar:
    validator = AccessTokenValidator(issuer, audience=audience)

    @get("/")
    async def about() -> dict[str, str]:
        return {
            "api": "Ansattporten example API",
            "issuer": issuer,
            "resource": resource,
            "try": "GET /api/organisations with Authorization: Bearer <access token>",
        }

    @get("/api/organisations")
    async def organisations(request: Request[Any, Any, Any]) -> Response[Any]:
        token = bearer_token(request)
        if token is None:
            return problem(401, None, "a bearer access token is required")
        try:
            claims = await validator.validate(token)
        except InvalidToken as refused:
            return problem(401, "invalid_token", str(refused))
        parties = acting_for(claims, resource)
        if not parties:
            return problem(
                403,
                "insufficient_scope",
                f"the token does not grant {resource} for an organisation",
            )
        return Response(
            {
                "resource": resource,
                "acting_for": parties,
                "client_id": claims.get("client_id"),
                "acr": claims.get("acr"),
            }
        )

    @get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return Litestar(route_handlers=[about, organisations, health], openapi_config=None)
