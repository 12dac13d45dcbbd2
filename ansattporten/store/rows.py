"""Records to statement arguments, and rows back to records.

A record's fields are named as its table's columns (`statements`), so one `Columns`
per table maps the one onto the other: plain values pass as they are, JSON columns are
encoded and decoded by msgspec straight from and into the records' Structs. Requested
`authorization_details` are written with their source's name and read back as the
class that source declares for their type (`records.request`), which is why the codec
is made per store, from the enabled sources' detail types.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import msgspec

from ansattporten.records import (
    AuditRecord,
    Authentication,
    AuthorizationRequest,
    BrowserSession,
    Choice,
    Client,
    ClientSession,
    Code,
    DetailTypes,
    FailurePage,
    Grant,
    GrantClaims,
    Login,
    LogoutDelivery,
    Offer,
    PushedRequest,
    RefreshToken,
    SigningKey,
    SourceTiming,
    TokenClaims,
    UpstreamLeg,
)
from ansattporten.records.request import detail_hooks
from ansattporten.store import statements as sql
from ansattporten.store.sql import Row

R = TypeVar("R", bound=msgspec.Struct)
Read = Callable[[Any], Any]

_OBJECT = msgspec.json.Decoder(dict[str, Any])
_ORGNOS = msgspec.json.Decoder(tuple[str, ...])
CLIENT_OWN_COLUMNS = frozenset(sql.CLIENT) - {"metadata_json"}
"""Client fields with a column of their own; the rest go to `metadata_json`."""


class Columns(Generic[R]):
    """One record type on one table's columns, in statement order."""

    def __init__(
        self,
        record: type[R],
        columns: tuple[str, ...],
        encode: Callable[[Any], str],
        read: Mapping[str, Read],
    ) -> None:
        """`read`: how a column's value becomes the field's (JSON columns: a decoder);
        columns that are not fields of `record` are written, never read back."""
        self._record = record
        self._columns = columns
        self._encode = encode
        self._json = tuple(column in sql.JSON_COLUMNS for column in columns)
        fields = set(record.__struct_fields__)
        self._read = tuple(
            (index, column, read.get(column))
            for index, column in enumerate(columns)
            if column in fields
        )

    def args(self, record: R) -> tuple[Any, ...]:
        return tuple(
            self._encode(value) if json and value is not None else value
            for value, json in zip(
                (getattr(record, column) for column in self._columns), self._json, strict=True
            )
        )

    def record(self, row: Row) -> R:
        return self._record(
            **{
                column: row[index] if read is None or row[index] is None else read(row[index])
                for index, column, read in self._read
            }
        )


class RowCodec:
    """Every record's columns, for one store."""

    def __init__(self, detail_types: DetailTypes) -> None:
        encode_hook, decode_hook = detail_hooks(detail_types)
        encoder = msgspec.json.Encoder(enc_hook=encode_hook)

        def encode(value: Any) -> str:
            return encoder.encode(value).decode()

        def decoder(kind: Any, hooks: bool = False) -> Read:
            return msgspec.json.Decoder(kind, dec_hook=decode_hook if hooks else None).decode

        self.json = encode
        self.keys = Columns(SigningKey, sql.KEY, encode, {"private_jwk": _OBJECT.decode})
        self.pushed = Columns(
            PushedRequest,
            sql.PUSHED,
            encode,
            {"request": decoder(AuthorizationRequest, hooks=True), "used": bool},
        )
        self.logins = Columns(
            Login,
            sql.LOGIN,
            encode,
            {
                "request": decoder(AuthorizationRequest, hooks=True),
                "authentication": decoder(Authentication),
                "offer": decoder(Offer),
                "failure_page": decoder(FailurePage),
                "upstream": decoder(UpstreamLeg),
            },
        )
        self.grants = Columns(
            Grant,
            sql.GRANT,
            encode,
            {
                "authorization_details": decoder(list[dict[str, Any]] | None),
                "claims": decoder(GrantClaims),
                "choice": decoder(Choice | None, hooks=True),
            },
        )
        self.codes = Columns(Code, sql.CODE, encode, {"claims": decoder(TokenClaims)})
        audit_reads = {
            "offered": _ORGNOS.decode,
            "chosen": _ORGNOS.decode,
            "sources": decoder(tuple[SourceTiming, ...]),
        }
        self.audits = Columns(AuditRecord, sql.AUDIT, encode, audit_reads)
        self.audits_with_id = Columns(AuditRecord, (*sql.AUDIT, "id"), encode, audit_reads)
        self.refresh_tokens = Columns(RefreshToken, sql.REFRESH, encode, {})
        self.browser_sessions = Columns(BrowserSession, sql.BROWSER_SESSION, encode, {})
        self.client_sessions = Columns(
            ClientSession,
            sql.CLIENT_SESSION,
            encode,
            {"authentication": decoder(Authentication)},
        )
        self.deliveries = Columns(LogoutDelivery, sql.DELIVERY, encode, {})

    def grant(self, row: Row) -> Grant | None:
        """None for a grant without claims (from before claims were stored): it cannot
        be refreshed."""
        if row[sql.GRANT.index("claims")] in (None, "null"):
            return None
        return self.grants.record(row)

    # clients: the fields without a column of their own share `metadata_json` ----------

    def client_args(self, client: Client) -> tuple[Any, ...]:
        metadata = msgspec.structs.asdict(client)
        own = {column: metadata.pop(column) for column in CLIENT_OWN_COLUMNS}
        own["metadata_json"] = self.json(metadata)
        return tuple(own[column] for column in sql.CLIENT)

    @staticmethod
    def client(row: Row) -> Client:
        values = dict(zip(sql.CLIENT, row, strict=True))
        values.update(_OBJECT.decode(values.pop("metadata_json")))
        return msgspec.convert(values, Client)
