"""Loading a mock's fixture: a JSON file or an already-parsed mapping, decoded into
typed Structs at start-up, so a bad fixture stops the server with a message that names
the entry instead of failing a login later."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

import msgspec
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

T = TypeVar("T")

GUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class FixtureError(ValueError):
    """The fixture cannot be served; the message says which entry and why."""


def decode(source: Path | Mapping[str, Any], kind: type[T], what: str) -> T:
    try:
        if isinstance(source, Path):
            return msgspec.json.decode(source.read_bytes(), type=kind)
        return msgspec.convert(dict(source), type=kind)
    except OSError as exc:
        raise FixtureError(f"{what} fixture cannot be read: {exc}") from exc
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise FixtureError(f"{what} fixture is not valid: {exc}") from exc


def check_redirect_uris(owner: str, uris: list[str]) -> None:
    if not uris:
        raise FixtureError(f"{owner}: at least one redirect URI is needed")
    for uri in uris:
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
            raise FixtureError(f"{owner}: redirect URI {uri!r} must be absolute, no fragment")


def check_jwks(owner: str, jwks: Mapping[str, Any] | None) -> None:
    if not jwks:
        raise FixtureError(f"{owner}: private_key_jwt needs a registered jwks")
    try:
        KeySet.import_key_set(dict(jwks))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise FixtureError(f"{owner}: jwks cannot be imported: {exc}") from exc
