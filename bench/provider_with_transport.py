"""`ansattporten serve` with the Altinn client's transport swapped, for the per-login
pass of `python -m bench clients --logins`:

    python -m bench.provider_with_transport TRANSPORT serve --config FILE --port N

The Altinn client creates its transport by calling the name `HttptoolsTransport` in
its module when it opens its pool; this replaces that name, in this process only, with
a factory of another httpx transport, then runs the `ansattporten` command as usual.
Nothing in the provider changes: the same client code, limits and error handling run
over the other transport. `aiohttp` goes further and replaces the client's one HTTP
method with aiohttp called directly (`bench.altinn_over_aiohttp`), as an Altinn client
written on aiohttp would work. A checkout whose Altinn client no longer has what is
replaced refuses to start, rather than measuring today's code under another label.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import httpx

import authz_sources.altinn.http as altinn_http

POOL = 32


def pool(size: int) -> httpx.Limits:
    return httpx.Limits(max_connections=size, max_keepalive_connections=size)


def httpcore_transport(max_connections: int = POOL) -> httpx.AsyncBaseTransport:
    return httpx.AsyncHTTPTransport(limits=pool(max_connections))


def aiohttp_transport(max_connections: int = POOL) -> httpx.AsyncBaseTransport:
    from httpx_aiohttp import AiohttpTransport

    transport: httpx.AsyncBaseTransport = AiohttpTransport(limits=pool(max_connections))
    return transport


TRANSPORTS: dict[str, Callable[..., httpx.AsyncBaseTransport] | None] = {
    "handwritten": None,  # left as it is
    "httpcore": httpcore_transport,
    "httpx-aiohttp": aiohttp_transport,
    "aiohttp": None,  # not a transport: see `bench.altinn_over_aiohttp`
}


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[1] not in TRANSPORTS:
        sys.exit(f"usage: python -m bench.provider_with_transport {{{','.join(TRANSPORTS)}}} ARGS")
    replacement = TRANSPORTS[sys.argv[1]]
    if not hasattr(altinn_http, "HttptoolsTransport"):
        sys.exit("this checkout's Altinn client has no HttptoolsTransport to replace")
    if replacement is not None:
        setattr(altinn_http, "HttptoolsTransport", replacement)  # noqa: B010
    if sys.argv[1] == "aiohttp":
        if not hasattr(altinn_http.AltinnHttp, "_send"):
            sys.exit("this checkout's Altinn client has no AltinnHttp._send to replace")
        from bench import altinn_over_aiohttp

        altinn_over_aiohttp.install()
    from ansattporten.cli.main import main as ansattporten

    ansattporten(sys.argv[2:])


if __name__ == "__main__":
    main()
