"""A started provider has its start-up objects set aside from the garbage collector
(`ansattporten.steady_heap`), and gives them back when it stops."""

from __future__ import annotations

import gc

from litestar.testing import TestClient

from ansattporten.app import create_app
from tests.support.provider import provider_settings


def test_start_up_objects_are_frozen_while_the_provider_runs(sqlite_url: str) -> None:
    settings = provider_settings("http://127.0.0.1:1", sqlite_url)
    app = create_app(settings, configure_logs=False)
    gc.unfreeze()

    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        # modules, routes, mappers and keys: far more than a stray handful
        assert gc.get_freeze_count() > 10_000

    assert gc.get_freeze_count() == 0
