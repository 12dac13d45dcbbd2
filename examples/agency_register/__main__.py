"""`python -m examples.agency_register --port 8003`"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from examples.agency_register.app import DEMO_TOKEN, REGISTER_FILE, create_agency_register
from examples.common import cli


def build(argv: list[str] | None = None) -> tuple[object, argparse.Namespace]:
    parser = cli.parser("Example agency register (HTTP register contract v1)", port=8003)
    parser.add_argument("--register", type=Path, default=REGISTER_FILE, help="people file")
    parser.add_argument(
        "--token",
        default=os.environ.get("AGENCY_REGISTER_TOKEN", DEMO_TOKEN),
        help="bearer token the provider must send (env AGENCY_REGISTER_TOKEN)",
    )
    args = parser.parse_args(argv)
    return create_agency_register(register_file=args.register, token=args.token), args


if __name__ == "__main__":
    cli.serve(*build())
