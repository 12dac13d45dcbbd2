"""`ansattporten mock-maskinporten`: a stand-in Maskinporten for local work and tests.

Serves issuer metadata, its JWKS and `/token` for JWT grants from the clients in a JSON
file (format in `authz_sources.maskinporten.mock_grants`). Point a source's
`maskinporten_issuer` at `--issuer` (by default this server's own URL with a trailing
slash, as Maskinporten writes its issuer).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ansattporten.cli.serving import ServerConfig, run_server


def add_command(commands: Any) -> None:
    """Register the sub-command on the `ansattporten` parser."""
    parser = commands.add_parser("mock-maskinporten", help="mock Maskinporten (token issuer)")
    parser.add_argument("--clients", type=Path, required=True, help="registered clients (JSON)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument(
        "--issuer", help="issuer URL to publish and expect as `aud` (default: this server)"
    )
    parser.add_argument(
        "--token-lifetime", type=int, default=120, help="seconds an access token lives"
    )
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from authz_sources.maskinporten.mock import create_mock_maskinporten

    issuer = args.issuer or f"http://{args.host}:{args.port}/"
    try:
        app = create_mock_maskinporten(
            args.clients,
            token_lifetime=args.token_lifetime,
            issuer=issuer,
            delay_ms=args.delay_ms,
        )
    except (OSError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    run_server(ServerConfig(app, host=args.host, port=args.port, access_log=False))
    return 0
