"""Authoritative registers for Ansattporten, usable without the provider.

A pilot agency writes a source against :mod:`authz_sources.protocol`, checks it with
:mod:`authz_sources.testing`, and enables it by name in the provider's settings. This
package never imports :mod:`ansattporten`; the provider depends on it, not the reverse.
"""

from authz_sources.errors import InvalidDetail, MissingIdentifier, NotEligible, SourceUnavailable
from authz_sources.protocol import AuthzSource, SourceFactory, identifiers_of
from authz_sources.types import IDENTIFIERS, Party, RequestedDetail, Subject

__all__ = [
    "IDENTIFIERS",
    "AuthzSource",
    "InvalidDetail",
    "MissingIdentifier",
    "NotEligible",
    "Party",
    "RequestedDetail",
    "SourceFactory",
    "SourceUnavailable",
    "Subject",
    "identifiers_of",
]
