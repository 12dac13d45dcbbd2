"""One module per endpoint; each endpoint is an ordered list of small, named steps.

Flows never import Litestar or SQLAlchemy: they take plain values, talk to the store's
repository and the representation feature, and return an outcome from `results` that
the web layer turns into HTTP.
"""
