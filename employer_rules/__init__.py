"""The employer-rules service: where an employer decides which of its Entra ID users may
act for which of its organisations toward which services (Digdir calls its own
Virksomhetsbroen), and the API the provider asks during an `ansattporten:orgno` login.

Two parts in one Litestar app with its own database:

- the admin web application (`employer_rules.admin`): an administrator logs in *through
  the provider* as an ordinary OpenID Connect client and manages the rules of the
  organisations their token names;
- the API for the provider (`employer_rules.api`): `POST /parties` in the shape of the
  HTTP register contract (docs/http-register.md, docs/employer-rules.md).

The package talks to the provider over HTTP only, as any client does; it never imports
`ansattporten` or `authz_sources`.
"""
