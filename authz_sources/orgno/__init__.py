"""`ansattporten:orgno`: organisations an Entra ID user may act for, by the rules their
employer keeps in the employer-rules service (the re-creation of Digdir's
Virksomhetsbroen; docs/employer-rules.md).

The source is thin: the employer-rules service answers `POST /parties` in the shape of
the HTTP register contract, and this source sends it the person's e-mail address, Entra
identifiers and groups with the asking `client_id`, then shapes the token object as
Ansattporten does (spec 4.2).
"""

from authz_sources.orgno.factory import OrgnoSourceFactory
from authz_sources.orgno.settings import ORGNO_TYPE, OrgnoSettings
from authz_sources.orgno.source import OrgnoSource

__all__ = ["ORGNO_TYPE", "OrgnoSettings", "OrgnoSource", "OrgnoSourceFactory"]
