"""HTTP handlers of the API. Every refusal is JSON (`ApiError`) with the status the
contract asks for: 401 unknown caller, 400 a request that is not the contract's, 415
not JSON, 413 too large, 503 our database cannot answer (the login then fails closed)."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from sqlalchemy.exc import SQLAlchemyError

from employer_rules.api.caller_auth import CallerAuth, Unauthorized
from employer_rules.api.parties import find_parties
from employer_rules.api.wire import ApiError, PartiesRequest
from employer_rules.settings import ApiSettings
from employer_rules.store.rule_store import RuleStore

log = logging.getLogger("employer_rules.api")
DECODER = msgspec.json.Decoder(PartiesRequest)


def refusal(status: int, error: str, description: str, **headers: str) -> Response[bytes]:
    return Response(
        msgspec.json.encode(ApiError(error=error, error_description=description)),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store", **headers},
    )


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def api_routes(settings: ApiSettings, store: RuleStore, auth: CallerAuth) -> list[HTTPRouteHandler]:
    @post("/parties", status_code=200, request_max_body_size=settings.max_request_bytes)
    async def parties(request: Request[Any, Any, Any]) -> Response[bytes]:
        try:
            caller = await auth.check(request.headers.get("authorization"))
        except Unauthorized as exc:
            return refusal(401, "invalid_token", str(exc), **{"WWW-Authenticate": "Bearer"})
        if not _is_json(request.headers.get("content-type", "")):
            return refusal(415, "invalid_request", "send Content-Type: application/json")
        try:
            asked = DECODER.decode(await request.body())
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            return refusal(400, "invalid_request", f"not a parties request: {exc}")
        if asked.type not in settings.types:
            return refusal(400, "invalid_request", f"this register answers for {settings.types}")
        if len(asked.subject.groups) > settings.max_groups:
            return refusal(400, "invalid_request", f"at most {settings.max_groups} groups")
        try:
            answer = await find_parties(store, asked)
        except (SQLAlchemyError, OSError) as exc:
            log.error("the rules cannot be read: %s", type(exc).__name__)
            return refusal(503, "temporarily_unavailable", "the rules cannot be read now")
        log.info(
            "parties answered",
            extra={"caller": caller, "client_id": asked.client_id, "parties": len(answer.parties)},
        )
        return Response(
            msgspec.json.encode(answer),
            media_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    @get("/health")
    async def health() -> Response[bytes]:
        try:
            await store.ping()
        except (SQLAlchemyError, OSError):
            return refusal(503, "temporarily_unavailable", "the database does not answer")
        return Response(b'{"status":"ok"}', media_type="application/json")

    return [parties, health]
