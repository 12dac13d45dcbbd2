"""`python -m examples.health_service --issuer http://127.0.0.1:8000 --port 8002`"""

from __future__ import annotations

import argparse

from examples.common import cli
from examples.health_service.app import create_health_service


def build(argv: list[str] | None = None) -> tuple[object, argparse.Namespace]:
    parser = cli.service_parser(
        "Example health service using Ansattporten with HPR",
        port=8002,
        client_id="demo-health-service",
        client_secret="demo-health-secret",
    )
    parser.add_argument("--profession", default="LE", help="HPR profession code required")
    args = parser.parse_args(argv)
    app = create_health_service(
        issuer=args.issuer,
        base_url=cli.base_url(args),
        client_id=args.client_id,
        client_secret=args.client_secret,
        profession=args.profession,
    )
    return app, args


if __name__ == "__main__":
    cli.serve(*build())
