"""OAuth and OpenID Connect errors, one class per wire code.

The class name is the PascalCase of the code (as node-oidc-provider names them), and each
class knows its HTTP status at back-channel endpoints and whether the authorize endpoint
may send it back to the client's redirect_uri. Messages in `description` go to client
developers; they must never contain secrets, tokens or national identity numbers.
"""

from __future__ import annotations


class OAuthError(Exception):
    """Base class: an error with an OAuth wire code."""

    error: str = "server_error"
    status_code: int = 400
    redirectable: bool = True
    """False when the client or redirect_uri cannot be trusted: show a page instead."""

    def __init__(self, description: str = "", *, headers: dict[str, str] | None = None) -> None:
        super().__init__(description or self.error)
        self.description = description
        self.headers = headers or {}
        """HTTP headers the answer carries (a `WWW-Authenticate` challenge, a
        `DPoP-Nonce`); the web layer adds them."""

    def as_dict(self) -> dict[str, str]:
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


class InvalidRequest(OAuthError):
    error = "invalid_request"


class InvalidClient(OAuthError):
    error = "invalid_client"
    status_code = 401


class InvalidGrant(OAuthError):
    error = "invalid_grant"


class UnauthorizedClient(OAuthError):
    error = "unauthorized_client"


class UnsupportedGrantType(OAuthError):
    error = "unsupported_grant_type"


class UnsupportedResponseType(OAuthError):
    error = "unsupported_response_type"


class InvalidScope(OAuthError):
    error = "invalid_scope"


class InvalidAuthorizationDetails(OAuthError):
    error = "invalid_authorization_details"


class InvalidRequestUri(OAuthError):
    error = "invalid_request_uri"


class RequestNotSupported(OAuthError):
    """OIDC Core 6.1: a request object (`request`) the provider will not process."""

    error = "request_not_supported"


class RequestUriNotSupported(OAuthError):
    """OIDC Core 6.2: a request object by reference; only PAR's own handles work."""

    error = "request_uri_not_supported"


class InvalidRequestObject(OAuthError):
    """RFC 9101 6.2: the request object is not signed by the client, or says otherwise
    what the request cannot say."""

    error = "invalid_request_object"


class AccessDenied(OAuthError):
    error = "access_denied"
    status_code = 403


class LoginRequired(OAuthError):
    error = "login_required"


class InteractionRequired(OAuthError):
    error = "interaction_required"


class InvalidToken(OAuthError):
    error = "invalid_token"
    status_code = 401


class InvalidDpopProof(OAuthError):
    """RFC 9449 5, 7.1: the `DPoP` header is missing where needed, or its proof fails."""

    error = "invalid_dpop_proof"


class UseDpopNonce(OAuthError):
    """RFC 9449 8: the proof must carry the nonce the answer's `DPoP-Nonce` names."""

    error = "use_dpop_nonce"


class ServerError(OAuthError):
    error = "server_error"
    status_code = 500


class TemporarilyUnavailable(OAuthError):
    error = "temporarily_unavailable"
    status_code = 503


class UntrustedClient(InvalidRequest):
    """Unknown client_id or a redirect_uri that is not registered exactly.

    Never redirected: sending an error to an unverified URI would make the provider an
    open redirector. The person gets an error page instead.
    """

    redirectable = False


class InvalidClientMetadata(InvalidRequest):
    """A client definition in settings or the CLI is not acceptable."""

    redirectable = False
