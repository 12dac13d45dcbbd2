"""Pieces the example services share: an OpenID Connect relying party with PAR + PKCE,
access-token validation for an API, small HTML pages, and the command line."""
