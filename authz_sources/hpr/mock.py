"""A stand-in for the HPR REST API, serving people from a fixture file.

The whole chain (provider -> source -> HTTP -> register) runs for real on one machine;
pointing the source at the real register is only a change of `base_url` and a token.
Only the lookup by national identity number is served:

    POST /v1/personerutvidet   {"nin": "...", "atDate": "YYYY-MM-DD", "includeHistory": false}
        200 the record, 404 not in the register, 400 malformed body, 401 wrong token
    GET  /health               200 {"status": "ok"}

The mock returns the full record, history included, whatever `atDate` says: deciding
what is valid on a day is the source's job, and serving history keeps that honest.

Run it for a demo with `python -m authz_sources.hpr.mock --port 8091`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import msgspec
from litestar import Litestar, Request, Response, get, post

from authz_sources.hpr.wire import HprRecord, PersonQuery, parse_hpr_date

DEMO_FIXTURE: Final = Path(__file__).parent / "fixtures" / "demo.json"
"""The synthetic people shipped with the package (see `fixtures/make_demo.py`)."""

_PID: Final = re.compile(r"[0-9]{11}")
_QUERY: Final = msgspec.json.Decoder(PersonQuery)


def load_fixtures(fixtures: Path | Mapping[str, Any]) -> dict[str, HprRecord]:
    """Decode and validate a fixture (a JSON object from PID to record).

    Fails at start-up, naming the bad entry, rather than serving something the source
    would reject at login time.
    """
    try:
        if isinstance(fixtures, Path):
            people = msgspec.json.decode(fixtures.read_bytes(), type=dict[str, HprRecord])
        else:
            people = msgspec.convert(dict(fixtures), type=dict[str, HprRecord])
    except msgspec.ValidationError as exc:
        raise ValueError(f"HPR fixture is not valid: {exc}") from exc
    for pid, record in people.items():
        if not _PID.fullmatch(pid):
            raise ValueError(f"HPR fixture key {pid!r} is not an 11-digit identity number")
        if record.person.nin not in (None, pid):
            raise ValueError(f"HPR fixture entry {pid!r} names another nin in person.nin")
    return people


def _problem(status: int, title: str) -> Response[bytes]:
    body = msgspec.json.encode({"status": status, "title": title})
    return Response(body, status_code=status, media_type="application/problem+json")


def create_mock_app(
    fixtures: Path | Mapping[str, Any],
    *,
    delay_ms: int = 0,
    bearer_token: str | None = None,
) -> Litestar:
    """A Litestar app serving `fixtures`.

    `delay_ms` holds every answer back (to exercise the source's deadline);
    `bearer_token`, when set, is required as `Authorization: Bearer <token>`.
    """
    people = load_fixtures(fixtures)

    @post("/v1/personerutvidet", status_code=200)
    async def person(request: Request[Any, Any, Any]) -> Response[bytes]:
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        if bearer_token is not None and (
            request.headers.get("authorization") != f"Bearer {bearer_token}"
        ):
            return _problem(401, "Unauthorized")
        try:
            query = _QUERY.decode(await request.body())
            day = None if query.at_date is None else parse_hpr_date(query.at_date)
        except (msgspec.DecodeError, ValueError):
            return _problem(400, "Malformed request body")
        if not _PID.fullmatch(query.nin):
            return _problem(400, "nin must be 11 digits")
        record = people.get(query.nin)
        if record is None:
            return _problem(404, "Person not found in HPR")
        if day is not None:
            record = msgspec.structs.replace(record, gjelder_for_dato=day.isoformat())
        return Response(msgspec.json.encode(record), media_type="application/json")

    @get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return Litestar(route_handlers=[person, health], openapi_config=None)


def main(argv: list[str] | None = None) -> None:
    """Serve the mock with uvicorn (for demos; tests use `create_mock_app`)."""
    import uvicorn

    parser = argparse.ArgumentParser(description="Mock HPR REST API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--fixtures", type=Path, default=DEMO_FIXTURE)
    parser.add_argument("--delay-ms", type=int, default=0)
    args = parser.parse_args(argv)
    uvicorn.run(
        create_mock_app(args.fixtures, delay_ms=args.delay_ms), host=args.host, port=args.port
    )


if __name__ == "__main__":
    main()
