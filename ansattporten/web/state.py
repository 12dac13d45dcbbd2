"""Typed access to what `create_app` put on the application state."""

from __future__ import annotations

from typing import Any

from litestar import Request

from ansattporten.flows.context import Provider
from ansattporten.web.render import Renderer

AnyRequest = Request[Any, Any, Any]


def provider_of(request: AnyRequest) -> Provider:
    provider: Provider = request.app.state.provider
    return provider


def renderer_of(request: AnyRequest) -> Renderer:
    renderer: Renderer = request.app.state.renderer
    return renderer
