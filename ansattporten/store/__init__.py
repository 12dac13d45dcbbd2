"""Persistence: SQLAlchemy models and the repository that flows talk to."""

from ansattporten.store.models import (
    AuditRecord,
    AuthorizationCode,
    Client,
    Grant,
    Interaction,
    PushedRequest,
    RefreshToken,
    SigningKey,
)
from ansattporten.store.store import Store

__all__ = [
    "AuditRecord",
    "AuthorizationCode",
    "Client",
    "Grant",
    "Interaction",
    "PushedRequest",
    "RefreshToken",
    "SigningKey",
    "Store",
]
