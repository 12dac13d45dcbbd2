"""RFC 9126 (Pushed Authorization Requests): the `request_uri` handle.

The handle is a random reference to a request the client pushed over the back channel;
it must be unguessable because holding it is all /authorize asks for.
"""

from __future__ import annotations

import re
import secrets

__all__ = ["REQUEST_URI_PREFIX", "is_request_uri", "new_request_uri"]

REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:"
"""The URN namespace RFC 9126 §2.2 suggests for request_uri values."""

_HANDLE = re.compile(r"[A-Za-z0-9_-]{43}")
"""32 random bytes, base64url without padding."""


def new_request_uri() -> str:
    """A fresh request_uri: the prefix plus 32 random bytes, base64url-encoded (43 chars)."""
    return REQUEST_URI_PREFIX + secrets.token_urlsafe(32)


def is_request_uri(value: str) -> bool:
    """Whether `value` has the shape `new_request_uri` produces.

    Lets /authorize reject junk before it costs a database lookup; whether the handle
    exists, is unexpired and belongs to the client is the caller's check.
    """
    return value.startswith(REQUEST_URI_PREFIX) and (
        _HANDLE.fullmatch(value[len(REQUEST_URI_PREFIX) :]) is not None
    )
