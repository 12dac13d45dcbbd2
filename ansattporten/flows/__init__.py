"""One module per endpoint; each endpoint is an ordered list of small, named steps.

Flows never import Litestar, SQLAlchemy or the sources: they take plain values, read
and move the typed login record (`ansattporten.records`) through the store's named
operations, reach the registers through `rar`, and return an outcome
(`ansattporten.outcomes`) that the web layer turns into HTTP.
"""
