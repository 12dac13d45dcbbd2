"""Ansattporten: an OpenID Connect provider for people logging in as employees."""

__version__ = "0.1.0"
