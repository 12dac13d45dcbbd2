"""Stand-ins for the upstream OpenID providers a broker logs people in through.

`idporten` serves an ID-porten-like provider (national eIDs and eIDAS), `entra` a
multi-tenant Microsoft Entra ID v2.0-like one. Each is its own Litestar app on its own
port, speaking the wire format of the real service, with people and registered clients
from a fixture file, so the whole login chain runs over real HTTP on one machine.

The package is deliberately independent of the provider: it imports nothing from
`ansattporten.flows`, `store`, `web` or `eid`, and of `spec` only the check of synthetic
national identity numbers (for its fixtures). A mock that shared the provider's PKCE,
JOSE or client-authentication code could agree with a bug in it; written apart, it
checks the provider the way the real upstream would. State (pending logins, codes, consents)
lives in process memory: a mock is one process, and a restart is a fresh upstream.
"""
