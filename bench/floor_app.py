"""The least a request costs on the provider's stack, for `python -m bench steps`: a
bare Litestar application on the same uvicorn settings, answering a small HTML page
(about the size of the login page's markup, no template) and a 303 redirect (what
authorize and the form POSTs answer), timed by the same wrapper as the provider."""

from __future__ import annotations

from litestar import Litestar, get
from litestar.response import Redirect, Response

from bench.step_timer import FLOOR_PAGE, FLOOR_REDIRECT, StepTimed

BODY = "<!doctype html><html><body>" + "x" * 3000 + "</body></html>"


@get(FLOOR_PAGE, sync_to_thread=False)
def page() -> Response[str]:
    return Response(BODY, media_type="text/html")


@get(FLOOR_REDIRECT, sync_to_thread=False)
def redirect() -> Redirect:
    return Redirect("https://service.example/callback?code=abc&state=xyz", status_code=303)


@get("/health", sync_to_thread=False)
def health() -> str:
    return "ok"


bare = Litestar([page, redirect, health], openapi_config=None, logging_config=None)
app = StepTimed(bare, lambda _method, path: path)
