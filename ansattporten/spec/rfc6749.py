"""RFC 6749 (OAuth 2.0): request parameters, client_secret_basic, redirects and scope.

These are the small parsing rules every endpoint shares. They live here, named after the
RFC, so that the endpoint flows read as a list of checks instead of string handling.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection, Iterable, Mapping
from urllib.parse import quote, unquote_plus, urlencode, urlsplit, urlunsplit

from ansattporten.errors import InvalidClient, InvalidRequest, InvalidScope

__all__ = [
    "add_params_to_uri",
    "is_valid_state",
    "parse_basic_auth",
    "single_valued",
    "split_scope",
]

_MAX_NAME_IN_MESSAGE = 40
"""Parameter names are echoed in error descriptions; an attacker chooses unknown ones."""

_NQCHAR_TOKEN = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")
"""RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )."""

_STATE = re.compile(r"[\x20-\x7e]{1,512}")
"""Printable ASCII, bounded: state is echoed in a redirect URL and stored with the login."""


def _shown_name(name: str) -> str:
    """A parameter name safe and short enough to put in an error description."""
    if len(name) > _MAX_NAME_IN_MESSAGE:
        name = name[:_MAX_NAME_IN_MESSAGE] + "…"
    return name


def single_valued(
    params: Iterable[tuple[str, str]], *, names: Collection[str] | None = None
) -> dict[str, str]:
    """Turn request parameter pairs into a dict, refusing repeated parameters.

    RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they were
    omitted from the request" and "Request and response parameters MUST NOT be included
    more than once". Empty values are therefore dropped before repetition is checked.
    When `names` is given, only those parameters are kept; the authorization server
    "MUST ignore unrecognized request parameters", so others are neither kept nor checked.

    Raises `InvalidRequest` when a kept parameter appears more than once.
    """
    wanted = None if names is None else frozenset(names)
    result: dict[str, str] = {}
    for name, value in params:
        if value == "" or (wanted is not None and name not in wanted):
            continue
        if name in result:
            raise InvalidRequest(f"parameter '{_shown_name(name)}' is repeated")
        result[name] = value
    return result


def parse_basic_auth(header: str) -> tuple[str, str]:
    """Read `(client_id, client_secret)` from an `Authorization: Basic ...` header value.

    RFC 6749 §2.3.1: the client identifier and password are each encoded with the
    `application/x-www-form-urlencoded` algorithm *before* being joined with ":" and
    base64-encoded (RFC 7617). Decoding the percent-escapes is what lets a client_id or
    secret contain ":" or non-ASCII characters. The scheme name is case-insensitive.

    Raises `InvalidClient` for anything malformed, including an empty id or secret.
    """
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        raise InvalidClient("the Authorization header does not use the Basic scheme")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        raw_id, colon, raw_secret = decoded.partition(":")
        client_id = unquote_plus(raw_id, errors="strict")
        secret = unquote_plus(raw_secret, errors="strict")
    except (binascii.Error, ValueError) as error:  # UnicodeDecodeError is a ValueError
        raise InvalidClient("the Basic credentials are not valid base64 of UTF-8") from error
    if not colon or not client_id or not secret:
        raise InvalidClient("the Basic credentials need a client_id and a secret")
    return client_id, secret


def add_params_to_uri(uri: str, params: Mapping[str, str]) -> str:
    """Append `params` to the query of `uri`, keeping the query the URI already has.

    RFC 6749 §3.1.2: the redirection endpoint URI "MAY include an query component, which
    MUST be retained when adding additional query parameters". Values are
    percent-encoded (a space as %20) so that `state` comes back byte for byte.
    """
    if not params:
        return uri
    scheme, netloc, path, query, fragment = urlsplit(uri)
    added = urlencode(dict(params), quote_via=quote)
    query = f"{query}&{added}" if query else added
    return urlunsplit((scheme, netloc, path, query, fragment))


def split_scope(scope: str) -> tuple[str, ...]:
    """Split a space-separated scope into its tokens, keeping order and dropping repeats.

    RFC 6749 §3.3: scope tokens are case-sensitive strings of NQCHAR, so a quote, a
    backslash, a control character or anything outside ASCII is refused with
    `InvalidScope`. Runs of spaces are tolerated. An empty scope gives an empty tuple;
    whether scope is required is the caller's rule.
    """
    tokens: dict[str, None] = {}
    for token in scope.split(" "):
        if not token:
            continue
        if _NQCHAR_TOKEN.fullmatch(token) is None:
            raise InvalidScope("scope contains a character not allowed by RFC 6749 §3.3")
        tokens[token] = None
    return tuple(tokens)


def is_valid_state(value: str) -> bool:
    """Whether `state` is 1–512 characters of printable ASCII (0x20–0x7E).

    RFC 6749 leaves `state` opaque; the bound keeps a hostile client from making the
    provider store and echo arbitrarily large or binary data in a redirect.
    """
    return _STATE.fullmatch(value) is not None
