"""The command line every example shares: `python -m examples.<name> --issuer ... --port ...`."""

from __future__ import annotations

import argparse
from typing import Any

DEFAULT_ISSUER = "http://127.0.0.1:8000"


def parser(description: str, *, port: int) -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(description=description)
    found.add_argument("--issuer", default=DEFAULT_ISSUER, help="the provider's issuer URL")
    found.add_argument("--host", default="127.0.0.1")
    found.add_argument("--port", type=int, default=port)
    return found


def service_parser(
    description: str, *, port: int, client_id: str, client_secret: str
) -> argparse.ArgumentParser:
    """Arguments of a service that logs people in: its client registration and URL."""
    found = parser(description, port=port)
    found.add_argument("--client-id", default=client_id)
    found.add_argument("--client-secret", default=client_secret)
    found.add_argument(
        "--base-url", help="where browsers reach this service (default: http://HOST:PORT)"
    )
    return found


def base_url(args: argparse.Namespace) -> str:
    return str(args.base_url or f"http://{args.host}:{args.port}").rstrip("/")


def serve(app: Any, args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(app, host=args.host, port=args.port, access_log=False)
