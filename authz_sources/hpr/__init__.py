"""The health personnel register (HPR) as a source answering about the person.

`ansattporten:hpr` puts the person's currently valid approvals as health personnel
(profession, authorisation, requisition rights, specialities) into the token, in the
shape HelseID uses for `hpr_details`. `authz_sources.hpr.mock` serves the register's REST
shape from a fixture file for tests and demos.
"""

from authz_sources.hpr.detail import RAR_TYPE, HprDetail, parse_hpr_detail
from authz_sources.hpr.factory import HprSourceFactory
from authz_sources.hpr.settings import HprSettings
from authz_sources.hpr.source import HprSource

__all__ = [
    "RAR_TYPE",
    "HprDetail",
    "HprSettings",
    "HprSource",
    "HprSourceFactory",
    "parse_hpr_detail",
]
