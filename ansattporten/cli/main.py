"""Argument parsing for `ansattporten`; each sub-command lives in its own module."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from authlib.deprecate import AuthlibDeprecationWarning

from ansattporten.cli import admin, mock_maskinporten, run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ansattporten",
        description="An OpenID Connect provider for people logging in as employees.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    config = argparse.ArgumentParser(add_help=False)
    config.add_argument("--config", type=Path, help="settings file (TOML)")

    serve = commands.add_parser("serve", help="run the provider")
    serve.add_argument("--config", type=Path, help="settings file (TOML)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=run.serve)

    demo = commands.add_parser(
        "demo", help="the provider on embedded defaults, mock registers and demo services"
    )
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000, help="provider port; others follow")
    demo.add_argument("--data-dir", type=Path, default=Path("var/demo"))
    demo.set_defaults(handler=run.demo)

    mock_altinn = commands.add_parser("mock-altinn", help="mock Altinn Authorization")
    mock_altinn.add_argument("--fixtures", type=Path, required=True)
    mock_altinn.add_argument("--host", default="127.0.0.1")
    mock_altinn.add_argument("--port", type=int, default=8101)
    mock_altinn.add_argument("--delay-ms", type=int, default=0)
    mock_altinn.add_argument(
        "--maskinporten-issuer",
        help="require Altinn tokens exchanged from this Maskinporten's tokens (as Altinn does)",
    )
    mock_altinn.add_argument(
        "--accept-maskinporten-tokens",
        action="store_true",
        help="with --maskinporten-issuer: also take Maskinporten tokens directly",
    )
    mock_altinn.add_argument(
        "--admin", action="store_true", help="allow PUT /_mock/fixture (tests only)"
    )
    mock_altinn.set_defaults(handler=run.mock_altinn)

    mock_maskinporten.add_command(commands)

    mock_hpr = commands.add_parser("mock-hpr", help="mock health personnel register")
    mock_hpr.add_argument("--fixtures", type=Path, required=True)
    mock_hpr.add_argument("--host", default="127.0.0.1")
    mock_hpr.add_argument("--port", type=int, default=8102)
    mock_hpr.add_argument("--delay-ms", type=int, default=0)
    mock_hpr.set_defaults(handler=run.mock_hpr)

    mock_idporten = commands.add_parser(
        "mock-idporten", help="mock ID-porten (national eIDs and eIDAS) as an upstream"
    )
    mock_idporten.add_argument("--people", type=Path, help="fixture: clients and test people")
    mock_idporten.add_argument("--host", default="127.0.0.1")
    mock_idporten.add_argument("--port", type=int, default=8201)
    mock_idporten.add_argument("--issuer", help="issuer URL (default http://HOST:PORT)")
    mock_idporten.set_defaults(handler=run.mock_idporten)

    mock_entra = commands.add_parser(
        "mock-entra", help="mock Microsoft Entra ID (multi-tenant) as an upstream"
    )
    mock_entra.add_argument("--tenants", type=Path, help="fixture: applications and tenants")
    mock_entra.add_argument("--host", default="127.0.0.1")
    mock_entra.add_argument("--port", type=int, default=8202)
    mock_entra.add_argument("--base-url", help="URL the tenants' issuers start with")
    mock_entra.set_defaults(handler=run.mock_entra)
    rules = commands.add_parser(
        "employer-rules",
        help="the employer-rules service: admin pages and the API for ansattporten:orgno",
    )
    rules.add_argument("--config", type=Path, required=True, help="its settings file (TOML)")
    rules.add_argument("--host", default="127.0.0.1")
    rules.add_argument("--port", type=int, default=8110)
    rules.set_defaults(handler=run.employer_rules)

    clients = commands.add_parser("clients", help="manage registered clients")
    client_commands = clients.add_subparsers(dest="clients_command", required=True)
    add = client_commands.add_parser("add", help="register or update a client", parents=[config])
    add.add_argument("client_id")
    add.add_argument("--redirect-uri", action="append", required=True, dest="redirect_uris")
    add.add_argument(
        "--auth-method",
        default="client_secret_basic",
        choices=["client_secret_basic", "client_secret_post", "none"],
    )
    add.add_argument("--secret", help="client secret; generated and printed when omitted")
    add.add_argument("--name")
    add.add_argument(
        "--organization-number", help="the client's organisation number (access tokens' consumer)"
    )
    add.add_argument("--subject-type", choices=["pairwise", "public"], default="pairwise")
    add.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        dest="cors_origins",
        help="an origin whose browser code may call the back-channel endpoints (repeatable)",
    )
    add.set_defaults(handler=admin.clients_add)
    client_commands.add_parser("list", parents=[config]).set_defaults(handler=admin.clients_list)
    remove = client_commands.add_parser("remove", parents=[config])
    remove.add_argument("client_id")
    remove.set_defaults(handler=admin.clients_remove)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", parents=[config]).set_defaults(handler=admin.db_upgrade)

    keys = commands.add_parser("keys", help="signing keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    rotate = key_commands.add_parser(
        "rotate",
        help="publish a next key; it signs after key_publish_ahead seconds",
        parents=[config],
    )
    rotate.add_argument("--alg", choices=["RS256", "ES256"], default="RS256")
    rotate.add_argument(
        "--now", action="store_true", help="sign with the new key at once (emergency)"
    )
    rotate.set_defaults(handler=admin.keys_rotate)
    imported = key_commands.add_parser(
        "import",
        help="a signing key with its certificate (PEM or PKCS#12): published with x5c, "
        "it signs after key_publish_ahead seconds",
        parents=[config],
    )
    imported.add_argument("key_file", type=Path, help="PEM private key, or a PKCS#12 bundle")
    imported.add_argument(
        "--certificate", type=Path, help="PEM certificate (chain) when not in the key's file"
    )
    imported.add_argument(
        "--password-env", help="environment variable holding the key's or bundle's password"
    )
    imported.add_argument("--now", action="store_true", help="sign with the imported key at once")
    imported.set_defaults(handler=admin.keys_import)
    key_commands.add_parser("list", parents=[config]).set_defaults(handler=admin.keys_list)

    audit = commands.add_parser("audit", help="representation audit records")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_list = audit_commands.add_parser("list", parents=[config])
    audit_list.add_argument("--limit", type=int, default=50)
    audit_list.set_defaults(handler=admin.audit_list)
    return parser


def quiet_authlib_httpx_notice() -> None:
    """Authlib 1.9 warns, once per process and always shown (its own filter), when its
    httpx client integration falls back from the `httpx2` fork to httpx. The example
    services the demo serves use that integration exactly as a service would, and the
    fallback is Authlib's supported path until Authlib 2; the notice is for library
    authors, not for someone starting the demo, so it stays out of the terminal. Added
    after importing `authlib.deprecate`, so this filter comes before Authlib's own
    "always". The test suite filters the same warning in pyproject.toml."""
    warnings.filterwarnings(
        "ignore", message="The httpx module is deprecated", category=AuthlibDeprecationWarning
    )


def main(argv: list[str] | None = None) -> None:
    quiet_authlib_httpx_notice()
    args = build_parser().parse_args(argv)
    code = args.handler(args)
    sys.exit(code or 0)
