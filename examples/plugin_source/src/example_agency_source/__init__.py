"""Example Ansattporten source: who may use which permit on behalf of which organisation.

The entry point `example_agency = "example_agency_source:Factory"` is all the provider
needs; everything else here is ordinary code written against `authz_sources`.
"""

from example_agency_source.source import Factory, PermitSource, Settings

__all__ = ["Factory", "PermitSource", "Settings"]
