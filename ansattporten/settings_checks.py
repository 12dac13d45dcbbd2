"""The rules a decoded `Settings` must meet beyond its types, each failing with one line
that names the setting (`SettingsError`).

Types, unknown keys and missing fields are msgspec's to find (`describe` turns its
message into the same one-line form); what remains are values of the right type that
cannot work: an issuer that is not a URL, a lifetime of zero, a log level logging does
not know, two clients with one client_id.
"""

from __future__ import annotations

import ipaddress
import math
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import msgspec

if TYPE_CHECKING:
    from ansattporten.settings import Settings


class SettingsError(ValueError):
    """The settings file or environment cannot be used; the message says where."""


POSITIVE = (
    "database_timeout_seconds",
    "access_token_lifetime",
    "id_token_lifetime",
    "code_lifetime",
    "refresh_token_lifetime",
    "grant_lifetime",
    "par_lifetime",
    "login_lifetime",
    "picker_page_size",
    "login_attempts_per_minute",
    "token_requests_per_minute",
    "authorize_requests_per_minute",
    "logins_per_client_per_minute",
    "audit_retention_days",
    "session_lifetime",
    "session_idle_timeout",
    "backchannel_connect_timeout",
    "backchannel_read_timeout",
)
NOT_NEGATIVE = (
    "purge_interval_seconds",  # 0: never purge
    "key_reload_seconds",  # 0: re-read the keys before every verification
    "key_publish_ahead",
    "key_keep_previous",
    "token_retry_seconds",  # 0: no retry is answered again
    "backchannel_logout_retries",  # 0: one attempt (ID-porten's way)
    "backchannel_logout_retry_seconds",
    "backchannel_poll_seconds",  # 0: this instance's delivery worker is off
    "backchannel_kept_seconds",  # 0: a finished delivery goes at the next purge
)
MIN_REQUEST_BYTES = 4096
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOOPBACK_NAMES = ("localhost",)


def check_settings(settings: Settings) -> None:
    if settings.issuer:
        check_issuer(settings.issuer)
    for name in POSITIVE:
        if not getattr(settings, name) > 0:  # NaN too
            raise SettingsError(f"setting `{name}` must be greater than 0")
    if math.isinf(settings.audit_retention_days):
        raise SettingsError("setting `audit_retention_days` must be a number of days")
    for name in NOT_NEGATIVE:
        if not getattr(settings, name) >= 0:  # NaN too
            raise SettingsError(f"setting `{name}` must not be negative")
    if settings.max_request_bytes < MIN_REQUEST_BYTES:
        raise SettingsError(f"setting `max_request_bytes` must be at least {MIN_REQUEST_BYTES}")
    if settings.log_level not in LOG_LEVELS:
        raise SettingsError(f"setting `log_level` must be one of {', '.join(LOG_LEVELS)}")
    if settings.acr_values_supported is not None and not settings.acr_values_supported:
        raise SettingsError("setting `acr_values_supported` must name at least one level")
    for name in ("trusted_proxies", "jwks_uri_allowed_networks"):
        for network in getattr(settings, name):
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise SettingsError(
                    f"setting `{name}`: {network!r} is not an address or network"
                ) from None
    seen: set[str] = set()
    for client in settings.clients:
        if client.client_id in seen:
            raise SettingsError(f"setting `clients`: client_id {client.client_id!r} appears twice")
        seen.add(client.client_id)


def check_issuer(issuer: str) -> None:
    """An absolute http(s) URL without query, fragment, credentials or a trailing '/'
    (`serve` also wants https: `check_issuer_is_https`)."""
    try:
        parts = urlsplit(issuer)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        host = None
    if parts.scheme not in ("https", "http") or not host:
        raise SettingsError(
            "setting `issuer` must be the provider's public https URL, e.g. "
            "https://login.example.no"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise SettingsError("setting `issuer` must have no query, fragment or user name")
    if issuer.endswith("/"):
        raise SettingsError("setting `issuer` must not end with '/'")


def check_issuer_is_https(issuer: str) -> None:
    """OpenID Connect issuers are https URLs; plain http only on this machine's loopback
    (tests, a local try-out). The demo, which may listen on any address, is exempt."""
    host = urlsplit(issuer).hostname or ""
    if issuer.startswith("http://") and not is_loopback(host):
        raise SettingsError("setting `issuer` must use https (http only on 127.0.0.1/localhost)")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_UNKNOWN = re.compile(r"Object contains unknown field `(?P<name>[^`]+)`")


def describe(error: msgspec.ValidationError) -> str:
    """msgspec's message as one line naming the setting:
    "Expected `int`, got `str` - at `$.code_lifetime`" becomes
    "setting `code_lifetime`: expected `int`, got `str`"."""
    message, _, where = str(error).partition(" - at `$")
    where = where.rstrip("`").lstrip(".")
    unknown = _UNKNOWN.fullmatch(message)
    if unknown:
        name = f"{where}.{unknown['name']}" if where else unknown["name"]
        return f"unknown setting `{name}` (the settings are listed in ansattporten/settings.py)"
    if not where:
        return f"invalid settings: {message}"
    return f"setting `{where}`: {message[:1].lower()}{message[1:]}"
