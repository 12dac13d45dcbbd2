"""The Web Origin Concept (RFC 6454): the origin a browser names in its `Origin` header.

An origin is scheme, host and port, serialised as `scheme://host[:port]` with the port
left out when it is the scheme's default (6.2), host and scheme in lower case. CORS
answers name exactly this string, so the provider compares origins in this form.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["exact_origin", "origin_of"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(uri: str) -> str | None:
    """The serialised origin of an absolute http(s) URI, or None when it has none."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or "@" in parts.netloc:
        return None
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def exact_origin(value: str) -> str | None:
    """`value` as an origin if it is one - scheme, host and an optional port, nothing
    else (no path, query, fragment or user) - else None."""
    origin = origin_of(value)
    if origin is None:
        return None
    parts = urlsplit(value)
    if parts.path or parts.query or parts.fragment or value.endswith(("?", "#")):
        return None
    return origin
