"""Routes every mock has: its stylesheet and script, and a health check."""

from __future__ import annotations

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from ansattporten.upstream_mocks.pages import static_files


def common_routes() -> list[HTTPRouteHandler]:
    files = static_files()

    @get("/static/{name:str}")
    async def static(name: FromPath[str]) -> Response[bytes]:
        found = files.get(name)
        if found is None:
            raise NotFoundException()
        body, media_type = found
        return Response(body, media_type=media_type, headers={"Cache-Control": "max-age=300"})

    @get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return [static, health]
