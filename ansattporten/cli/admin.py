"""Administrative sub-commands that work on the database directly."""

from __future__ import annotations

import argparse
import asyncio
import datetime
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ansattporten.cli.key_import import KeyImportError, password_from, read_key
from ansattporten.errors import OAuthError
from ansattporten.flows.clients import client_record
from ansattporten.flows.keyring import Rotation, key_state, rotate
from ansattporten.settings import ClientSettings, Settings, SettingsError, load_settings
from ansattporten.spec.norwegian_pid import mask
from ansattporten.store import Store
from ansattporten.store.migrate import upgrade

T = TypeVar("T")


def settings_of(args: argparse.Namespace) -> Settings:
    return load_settings(getattr(args, "config", None))


def with_store(args: argparse.Namespace, work: Callable[[Store], Awaitable[T]]) -> T:
    settings = settings_of(args)
    upgrade(settings.async_database_url)

    async def run() -> T:
        store = Store(settings.async_database_url)
        try:
            return await work(store)
        finally:
            await store.aclose()

    return asyncio.run(run())


def clients_add(args: argparse.Namespace) -> int:
    secret = args.secret
    if args.auth_method != "none" and not secret:
        secret = secrets.token_urlsafe(32)
        print(f"client_secret: {secret}")
    try:
        client = client_record(
            ClientSettings(
                client_id=args.client_id,
                redirect_uris=args.redirect_uris,
                client_secret=secret if args.auth_method != "none" else None,
                token_endpoint_auth_method=args.auth_method,
                client_name=args.name,
                organization_number=args.organization_number,
                subject_type=args.subject_type,
                allowed_cors_origins=args.cors_origins,
            )
        )
    except (SettingsError, ValueError, OAuthError) as exc:
        print(f"error: {exc}")
        return 2
    with_store(args, lambda store: store.upsert_client(client))
    print(f"registered {args.client_id}")
    return 0


def clients_list(args: argparse.Namespace) -> int:
    for client in with_store(args, lambda store: store.list_clients()):
        uris = " ".join(client.redirect_uris)
        print(f"{client.client_id}\t{client.auth_method}\t{uris}")
    return 0


def clients_remove(args: argparse.Namespace) -> int:
    removed = with_store(args, lambda store: store.remove_client(args.client_id))
    print(f"removed {args.client_id}" if removed else f"no client {args.client_id}")
    return 0 if removed else 1


def db_upgrade(args: argparse.Namespace) -> int:
    upgrade(settings_of(args).async_database_url)
    print("database is at the newest schema")
    return 0


def audit_list(args: argparse.Namespace) -> int:
    """Prints who logged in for whom. The national identity number is masked on screen;
    the full number stays in the database for authorised investigation."""
    rows = with_store(args, lambda store: store.list_audit(args.limit))
    for row in rows:
        when = datetime.datetime.fromtimestamp(row.created_at, datetime.UTC)
        timings = ", ".join(f"{item.source} {item.ms} ms {item.outcome}" for item in row.sources)
        print(
            f"{when:%Y-%m-%d %H:%M:%S}Z  {mask(row.pid or '')}  {row.client_id}  {row.outcome}  "
            f"offered={len(row.offered)} chosen={','.join(row.chosen) or '-'}  [{timings}]"
        )
    return 0


def keys_rotate(args: argparse.Namespace) -> int:
    rotation = publish_next_key(args, args.alg)
    print(f"published {rotation.new_kid} ({args.alg}); it signs from {_when(rotation.activate_at)}")
    print_previous(rotation)
    return 0


def keys_import(args: argparse.Namespace) -> int:
    """A key the operator brings, with its certificate: the next signing key, as
    `keys rotate` makes one (see `cli/key_import.py`)."""
    try:
        imported = read_key(args.key_file, args.certificate, password_from(args))
    except KeyImportError as error:
        print(f"error: {error}")
        return 2
    rotation = publish_next_key(args, imported.alg, imported.private_jwk)
    print(
        f"imported {rotation.new_kid} ({imported.alg}, certificate {imported.subject}, "
        f"valid until {imported.not_after:%Y-%m-%d}); it signs from {_when(rotation.activate_at)}"
    )
    print_previous(rotation)
    return 0


def publish_next_key(
    args: argparse.Namespace, alg: str, private_jwk: dict[str, Any] | None = None
) -> Rotation:
    """Publish the next key of `alg` (a new one, or `private_jwk`): it signs after
    `key_publish_ahead` seconds, or at once with `--now`."""
    settings = settings_of(args)
    ahead = 0 if args.now else settings.key_publish_ahead
    return with_store(
        args,
        lambda store: rotate(
            store,
            alg,
            now=time.time(),
            publish_ahead=ahead,
            keep_previous=settings.key_keep_previous,
            private_jwk=private_jwk,
        ),
    )


def print_previous(rotation: Rotation) -> None:
    if rotation.previous_kid and rotation.previous_retire_at:
        print(f"{rotation.previous_kid} stays published until {_when(rotation.previous_retire_at)}")


def keys_list(args: argparse.Namespace) -> int:
    rows = with_store(args, lambda store: store.signing_keys())
    now = time.time()
    for row in rows:
        retires = _when(row.retire_at) if row.retire_at else "-"
        print(
            f"{row.kid}\t{row.alg}\t{key_state(row, rows, now)}\t"
            f"signs from {_when(row.activate_at)}\tretires {retires}"
        )
    return 0


def _when(timestamp: float) -> str:
    return f"{datetime.datetime.fromtimestamp(timestamp, datetime.UTC):%Y-%m-%d %H:%M:%S}Z"
