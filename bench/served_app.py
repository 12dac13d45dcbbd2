"""The provider as an ASGI application object, for servers that import one by name and
cannot call a factory (`daphne bench.served_app:app`; `python -m bench servers` uses it
for every server but our own `serve` command). Settings come from
`ANSATTPORTEN_CONFIG`, as for `ansattporten.asgi:app_from_environment`."""

from __future__ import annotations

from ansattporten.asgi import app_from_environment

app = app_from_environment()
