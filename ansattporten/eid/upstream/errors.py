"""What can go wrong with an upstream eID, as the login flow needs to tell it apart.

Messages are for the log and for developers; they never carry a token, a code, a
national identity number or an e-mail address, and none is shown to the person (the
pages say what happened in the person's language)."""

from __future__ import annotations


class UpstreamUnavailable(Exception):
    """The upstream did not answer, answered too slowly, or answered with something that
    is not its protocol (an error status, a page, too many bytes): the person is told to
    try later, the service gets `temporarily_unavailable`."""


class UpstreamRefused(Exception):
    """The upstream's answer cannot be trusted: an id_token that fails a check, an
    answer from another issuer, a code the token endpoint refused. The login ends with
    no token."""


class PersonNotAllowed(Exception):
    """The person logged in upstream, but may not use this eID here (an Entra tenant
    outside `allowed_tenants`): the service gets `access_denied`."""


class KeyFileError(ValueError):
    """`private_key_file` cannot be read as a private key."""
