"""Pieces the example services share: an OpenID Connect relying party with PAR + PKCE."""
