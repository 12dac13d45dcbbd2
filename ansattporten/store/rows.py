"""Records to statement arguments and rows back to records.

JSON columns are encoded and decoded by msgspec straight from and into the records'
Structs. Requested `authorization_details` are written with their source's name and
read back as the class that source declares for their type (`records.request`), which
is why the codec is made per store, from the enabled sources' detail types.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ansattporten.records import (
    AuditRecord,
    Authentication,
    AuthorizationRequest,
    Choice,
    Client,
    Code,
    DetailTypes,
    Grant,
    GrantClaims,
    Login,
    Offer,
    PushedRequest,
    RefreshToken,
    SigningKey,
    SourceTiming,
    TokenClaims,
)
from ansattporten.records.request import detail_hooks
from ansattporten.store.sql import Row

_AUTHENTICATION = msgspec.json.Decoder(Authentication)
_OFFER = msgspec.json.Decoder(Offer)
_OBJECT = msgspec.json.Decoder(dict[str, Any])
_DETAILS = msgspec.json.Decoder(list[dict[str, Any]] | None)
_TOKEN_CLAIMS = msgspec.json.Decoder(TokenClaims)
_GRANT_CLAIMS = msgspec.json.Decoder(GrantClaims)
_ORGNOS = msgspec.json.Decoder(tuple[str, ...])
_TIMINGS = msgspec.json.Decoder(tuple[SourceTiming, ...])
CLIENT_COLUMNS = ("client_id", "secret_hash", "auth_method", "updated_at")
"""Client fields with a column of their own; the rest go to `metadata_json`."""


class RowCodec:
    def __init__(self, detail_types: DetailTypes) -> None:
        encode_hook, decode_hook = detail_hooks(detail_types)
        self._encoder = msgspec.json.Encoder(enc_hook=encode_hook)
        self._request = msgspec.json.Decoder(AuthorizationRequest, dec_hook=decode_hook)
        self._choice = msgspec.json.Decoder(Choice | None, dec_hook=decode_hook)

    def json(self, value: Any) -> str:
        return self._encoder.encode(value).decode()

    def json_or_none(self, value: Any) -> str | None:
        return None if value is None else self._encoder.encode(value).decode()

    # clients and keys ------------------------------------------------------------------

    def client_args(self, client: Client) -> tuple[Any, ...]:
        metadata = msgspec.structs.asdict(client)
        for column in CLIENT_COLUMNS:
            del metadata[column]
        return (
            client.client_id,
            client.secret_hash,
            client.auth_method,
            self.json(metadata),
            client.updated_at,
        )

    @staticmethod
    def client(row: Row) -> Client:
        values = _OBJECT.decode(row[3])
        values.update(client_id=row[0], secret_hash=row[1], auth_method=row[2], updated_at=row[4])
        return msgspec.convert(values, Client)

    def key_args(self, key: SigningKey) -> tuple[Any, ...]:
        return (
            key.kid,
            key.alg,
            self.json(key.private_jwk),
            key.created_at,
            key.activate_at,
            key.retire_at,
        )

    @staticmethod
    def key(row: Row) -> SigningKey:
        return SigningKey(
            kid=row[0],
            alg=row[1],
            private_jwk=_OBJECT.decode(row[2]),
            created_at=row[3],
            activate_at=row[4],
            retire_at=row[5],
        )

    # pushed requests and logins --------------------------------------------------------

    def pushed_args(self, pushed: PushedRequest) -> tuple[Any, ...]:
        return (
            pushed.request_uri,
            pushed.client_id,
            self.json(pushed.request),
            pushed.expires_at,
            pushed.used,
        )

    def pushed(self, row: Row) -> PushedRequest:
        return PushedRequest(
            request_uri=row[0],
            client_id=row[1],
            request=self._request.decode(row[2]),
            expires_at=row[3],
            used=True,
        )

    def login_args(self, login: Login) -> tuple[Any, ...]:
        return (
            login.id,
            login.client_id,
            login.browser_hash,
            login.csrf_token,
            login.stage,
            login.created_at,
            login.expires_at,
            self.json(login.request),
            self.json_or_none(login.authentication),
            self.json_or_none(login.offer),
            login.failure,
        )

    def login(self, row: Row) -> Login:
        return Login(
            id=row[0],
            client_id=row[1],
            browser_hash=row[2],
            csrf_token=row[3],
            stage=row[4],
            created_at=row[5],
            expires_at=row[6],
            request=self._request.decode(row[7]),
            authentication=None if row[8] is None else _AUTHENTICATION.decode(row[8]),
            offer=None if row[9] is None else _OFFER.decode(row[9]),
            failure=row[10],
        )

    # what a finished login leaves behind -----------------------------------------------

    def grant_args(self, grant: Grant) -> tuple[Any, ...]:
        return (
            grant.id,
            grant.client_id,
            grant.claims.sub,
            self.json(grant.authorization_details),
            grant.created_at,
            grant.expires_at,
            self.json(grant.claims),
            self.json_or_none(grant.choice),
        )

    def grant(self, row: Row) -> Grant | None:
        """None for a grant without claims (from before claims were stored): it cannot
        be refreshed."""
        if row[6] is None or row[6] == "null":
            return None
        return Grant(
            id=row[0],
            client_id=row[1],
            authorization_details=_DETAILS.decode(row[3]) if row[3] is not None else None,
            created_at=row[4],
            expires_at=row[5],
            claims=_GRANT_CLAIMS.decode(row[6]),
            choice=None if row[7] is None else self._choice.decode(row[7]),
            revoked_at=row[8],
        )

    def code_args(self, code: Code) -> tuple[Any, ...]:
        return (
            code.code_hash,
            code.client_id,
            code.grant_id,
            code.redirect_uri,
            code.code_challenge,
            self.json(code.claims),
            code.expires_at,
        )

    @staticmethod
    def code(row: Row) -> Code:
        return Code(
            code_hash=row[0],
            client_id=row[1],
            grant_id=row[2],
            redirect_uri=row[3],
            code_challenge=row[4],
            claims=_TOKEN_CLAIMS.decode(row[5]),
            expires_at=row[6],
            consumed_at=row[7],
        )

    def audit_args(self, audit: AuditRecord) -> tuple[Any, ...]:
        return (
            audit.created_at,
            audit.pid,
            audit.client_id,
            audit.outcome,
            self.json(audit.offered),
            self.json(audit.chosen),
            self.json(audit.sources),
        )

    @staticmethod
    def audit(row: Row) -> AuditRecord:
        return AuditRecord(
            created_at=row[0],
            pid=row[1],
            client_id=row[2],
            outcome=row[3],
            offered=_ORGNOS.decode(row[4]),
            chosen=_ORGNOS.decode(row[5]),
            sources=_TIMINGS.decode(row[6]),
            id=row[7],
        )

    @staticmethod
    def refresh_args(token: RefreshToken) -> tuple[Any, ...]:
        return (
            token.token_hash,
            token.grant_id,
            token.client_id,
            token.created_at,
            token.expires_at,
            token.used_at,
        )

    @staticmethod
    def refresh(row: Row) -> RefreshToken:
        return RefreshToken(
            token_hash=row[0],
            grant_id=row[1],
            client_id=row[2],
            created_at=row[3],
            expires_at=row[4],
            used_at=row[5],
        )
