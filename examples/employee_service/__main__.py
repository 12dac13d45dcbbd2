"""`python -m examples.employee_service --issuer http://127.0.0.1:8000 --port 8001`"""

from __future__ import annotations

import argparse
import json

from examples.common import cli
from examples.employee_service.app import RESOURCE, create_employee_service


def build(argv: list[str] | None = None) -> tuple[object, argparse.Namespace]:
    parser = cli.service_parser(
        "Example employee service using Ansattporten",
        port=8001,
        client_id="demo-employee-service",
        client_secret="demo-employee-secret",
    )
    parser.add_argument("--api-url", help="an API to call with the access token")
    parser.add_argument("--resource", default=RESOURCE, help="the Altinn resource to ask for")
    parser.add_argument(
        "--details", type=json.loads, help="authorization_details to ask for instead, as JSON"
    )
    parser.add_argument(
        "--acr-values", help="the eIDs to offer, e.g. 'idporten-loa-substantial entraid'"
    )
    args = parser.parse_args(argv)
    app = create_employee_service(
        issuer=args.issuer,
        base_url=cli.base_url(args),
        client_id=args.client_id,
        client_secret=args.client_secret,
        api_url=args.api_url,
        resource=args.resource,
        details=args.details,
        acr_values=args.acr_values,
    )
    return app, args


if __name__ == "__main__":
    cli.serve(*build())
