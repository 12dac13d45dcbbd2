"""A pilot agency's own register, reached over a small versioned HTTP contract.

An agency that would rather not ship Python code runs a web service answering
`POST /parties` (docs/http-register.md) and enables it with `kind = "http_register"`;
any number of such registers can be enabled side by side, each owning its own RAR types.
"""

from authz_sources.http_register.detail import parse_register_detail
from authz_sources.http_register.factory import HttpRegisterSourceFactory
from authz_sources.http_register.settings import HttpRegisterSettings
from authz_sources.http_register.source import HttpRegisterSource
from authz_sources.http_register.wire import CONTRACT_VERSION

__all__ = [
    "CONTRACT_VERSION",
    "HttpRegisterSettings",
    "HttpRegisterSource",
    "HttpRegisterSourceFactory",
    "parse_register_detail",
]
