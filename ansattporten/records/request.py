"""The authorization request, validated once when it arrives and carried typed after.

`authorization_details` are parsed by the source that owns each type (through `rar`)
at /par or /authorize; from then on every step, and the store, carries the parsed
objects. The store writes each one with the name of its source and reads it back as
the class its source declares for its type (`AuthzSource.detail_types`), so a source
always gets its own detail type and nothing parses it again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from authz_sources.types import RequestedDetail


class Requested:
    """One requested `authorization_details` object, as parsed by the source `source`.

    A plain class rather than a Struct on purpose: the store encodes and decodes it
    through `detail_hooks`, which know each source's own detail class."""

    __slots__ = ("detail", "source")

    def __init__(self, source: str, detail: RequestedDetail) -> None:
        self.source = source
        self.detail = detail

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Requested)
            and other.source == self.source
            and other.detail == self.detail
        )

    def __hash__(self) -> int:
        return hash((self.source, self.detail.type))

    def __repr__(self) -> str:
        return f"Requested({self.source!r}, {self.detail!r})"


class AuthorizationRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A request that passed every check; pushed (PAR) or started a login with it."""

    client_id: str
    redirect_uri: str
    response_mode: str
    scope: tuple[str, ...]
    state: str
    nonce: str
    code_challenge: str
    prompt: tuple[str, ...]
    max_age: int | None
    acr_values: tuple[str, ...]
    locale: str
    authorization_details: tuple[Requested, ...] = ()
    locale_requested: bool = False
    """`ui_locales` named a language we have; otherwise the browser's language (the
    switcher's choice, else Accept-Language) may replace the default `locale`."""
    dpop_jkt: str | None = None
    """The DPoP key the code will be bound to (RFC 9449 10): `dpop_jkt`, or the key of
    the proof that came with the pushed request."""


DetailTypes = Mapping[str, type[RequestedDetail]]
"""RAR type -> the Struct its source's `parse_detail` returns for it."""


def detail_hooks(
    detail_types: DetailTypes,
) -> tuple[Callable[[Any], Any], Callable[[type, Any], Any]]:
    """msgspec `enc_hook` and `dec_hook` for `Requested`: written as
    `{"source": ..., "detail": {...}}`, read back as the source's own detail class.
    A type no enabled source owns any more (settings changed since the login began) is
    read back as a plain `RequestedDetail`, so the login or grant still loads; `rar`
    refuses to ask the registers for it (fail closed)."""

    def encode(value: Any) -> Any:
        if isinstance(value, Requested):
            return {"source": value.source, "detail": value.detail}
        raise NotImplementedError(f"cannot encode {type(value).__name__}")

    def decode(kind: type, value: Any) -> Any:
        if kind is not Requested:
            raise NotImplementedError(f"cannot decode {kind.__name__}")
        detail = value["detail"]
        detail_type = detail_types.get(detail["type"], RequestedDetail)
        return Requested(value["source"], msgspec.convert(detail, detail_type))

    return encode, decode
