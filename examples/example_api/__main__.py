"""`python -m examples.example_api --issuer http://127.0.0.1:8000 --port 8004`"""

from __future__ import annotations

import argparse

from examples.common import cli
from examples.example_api.app import RESOURCE, create_example_api


def build(argv: list[str] | None = None) -> tuple[object, argparse.Namespace]:
    parser = cli.parser("Example API protected by Ansattporten access tokens", port=8004)
    parser.add_argument("--resource", default=RESOURCE, help="the Altinn resource required")
    parser.add_argument("--audience", help="required `aud` (not checked when absent)")
    args = parser.parse_args(argv)
    app = create_example_api(issuer=args.issuer, resource=args.resource, audience=args.audience)
    return app, args


if __name__ == "__main__":
    cli.serve(*build())
