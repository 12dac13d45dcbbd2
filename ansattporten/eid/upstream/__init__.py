"""Logging in through an upstream OpenID provider, as a broker: ID-porten (national eIDs
and eIDAS), Microsoft Entra ID, or any OpenID Connect provider.

`eid.UpstreamEid` is the eID; the steps behind it are one module each: `http` (every
call bounded in time and size), `metadata` (the discovery document, cached), `keys` (the
signing keys, refetched for an unknown `kid`), `client_auth` (how the provider
authenticates to the upstream), `authorization` (PAR or the plain redirect, PKCE,
state, nonce), `id_token` (OpenID Connect Core 3.1.3.7) and `claims` (the token's
claims to a `Person`).
"""
