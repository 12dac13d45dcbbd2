"""The typed records of the provider: a login from the moment its request arrives, what
it leaves behind, and the clients and keys. msgspec Structs, shared by the flows and
the store; nothing here does I/O."""

from ansattporten.records.clients import Client, SigningKey
from ansattporten.records.login import (
    Authentication,
    FailurePage,
    Login,
    Offer,
    Person,
    SourceTiming,
    Stage,
    UpstreamLeg,
)
from ansattporten.records.request import AuthorizationRequest, DetailTypes, Requested
from ansattporten.records.sessions import (
    BrowserSession,
    ClientSession,
    DeliveryState,
    LiveSession,
    LogoutDelivery,
    SessionOpening,
)
from ansattporten.records.tokens import (
    AuditRecord,
    Choice,
    Code,
    Grant,
    GrantClaims,
    PushedRequest,
    RefreshToken,
    TokenClaims,
)
from authz_sources.types import Party

__all__ = [
    "AuditRecord",
    "Authentication",
    "AuthorizationRequest",
    "BrowserSession",
    "Choice",
    "Client",
    "ClientSession",
    "Code",
    "DeliveryState",
    "DetailTypes",
    "FailurePage",
    "Grant",
    "GrantClaims",
    "LiveSession",
    "Login",
    "LogoutDelivery",
    "Offer",
    "Party",
    "Person",
    "PushedRequest",
    "RefreshToken",
    "Requested",
    "SessionOpening",
    "SigningKey",
    "SourceTiming",
    "Stage",
    "TokenClaims",
    "UpstreamLeg",
]
