"""The node-oidc-provider harness works: discovery like an ID-porten-shaped upstream, and
a full authorization-code + PKCE exchange by Authlib's client (secret and private_key_jwt,
plain and pushed), the id_token verified against the JWKS, and cancel -> access_denied."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.support.node_upstream import DEFAULT_REDIRECT_URI, NodeUpstream
from tests.support.upstream_clients import assertion_form, client_assertion

PID = "23865938772"


def metadata(upstream: NodeUpstream) -> dict[str, Any]:
    response = httpx.get(f"{upstream.issuer}/.well-known/openid-configuration")
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


def verified_claims(
    upstream: NodeUpstream, id_token: str, client_id: str, nonce: str
) -> dict[str, Any]:
    keys = KeySet.import_key_set(httpx.get(metadata(upstream)["jwks_uri"]).json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": upstream.issuer},
        aud={"essential": True, "value": client_id},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
    ).validate(token.claims)
    return dict(token.claims)


def test_discovery_offers_what_a_broker_needs(node_upstream: NodeUpstream) -> None:
    document = metadata(node_upstream)
    assert document["issuer"] == node_upstream.issuer
    assert document["pushed_authorization_request_endpoint"].startswith(node_upstream.issuer)
    assert document["authorization_response_iss_parameter_supported"] is True
    assert "S256" in document["code_challenge_methods_supported"]
    assert {"idporten-loa-substantial", "idporten-loa-high"} <= set(
        document["acr_values_supported"]
    )
    assert "private_key_jwt" in document["token_endpoint_auth_methods_supported"]


def test_authlib_client_logs_in_with_a_secret_and_pkce(node_upstream: NodeUpstream) -> None:
    client = node_upstream.secret_client
    document = metadata(node_upstream)
    nonce, verifier = secrets.token_urlsafe(16), secrets.token_urlsafe(48)
    with OAuth2Client(
        client.client_id,
        client.client_secret,
        redirect_uri=DEFAULT_REDIRECT_URI,
        scope="openid profile",
        code_challenge_method="S256",
    ) as oauth:
        url, state = oauth.create_authorization_url(
            document["authorization_endpoint"],
            code_verifier=verifier,
            nonce=nonce,
            acr_values="idporten-loa-high",
        )
        answer = node_upstream.login(url, account=PID, acr="idporten-loa-high")
        assert answer["state"] == state
        assert answer["iss"] == node_upstream.issuer
        token = oauth.fetch_token(
            document["token_endpoint"], code=answer["code"], code_verifier=verifier
        )
    claims = verified_claims(node_upstream, token["id_token"], client.client_id, nonce)
    assert claims["pid"] == PID
    assert claims["acr"] == "idporten-loa-high"
    assert claims["amr"] == ["TestID"]
    assert claims["given_name"] == "Lars"
    assert claims["sub"] != PID  # pairwise


def test_a_wrong_code_verifier_is_refused(node_upstream: NodeUpstream) -> None:
    client = node_upstream.secret_client
    document = metadata(node_upstream)
    with OAuth2Client(
        client.client_id, client.client_secret, redirect_uri=DEFAULT_REDIRECT_URI,
        scope="openid", code_challenge_method="S256",
    ) as oauth:  # fmt: skip
        url, _ = oauth.create_authorization_url(
            document["authorization_endpoint"], code_verifier=secrets.token_urlsafe(48),
            nonce="n",
        )  # fmt: skip
        answer = node_upstream.login(url, account=PID)
        response = oauth.post(
            document["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": answer["code"],
                "redirect_uri": DEFAULT_REDIRECT_URI,
                "code_verifier": secrets.token_urlsafe(48),
            },
            auth=(client.client_id, client.client_secret or ""),
        )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_pushed_request_and_private_key_jwt(node_upstream: NodeUpstream) -> None:
    client = node_upstream.key_client
    document = metadata(node_upstream)
    nonce, verifier = secrets.token_urlsafe(16), secrets.token_urlsafe(48)
    upstream_issuer = node_upstream.issuer
    auth = PrivateKeyJWT(document["token_endpoint"], alg="RS256")
    with OAuth2Client(
        client.client_id,
        client.private_jwk,
        token_endpoint_auth_method=auth,
        redirect_uri=DEFAULT_REDIRECT_URI,
        scope="openid",
        code_challenge_method="S256",
    ) as oauth:
        url, state = oauth.create_authorization_url(
            document["authorization_endpoint"], code_verifier=verifier, nonce=nonce
        )
        pushed_parameters = dict(httpx.URL(url).params)
        assert client.private_jwk is not None
        assertion = client_assertion(client.client_id, client.private_jwk, upstream_issuer)
        pushed = httpx.post(
            document["pushed_authorization_request_endpoint"],
            data={**pushed_parameters, **assertion_form(client.client_id, assertion)},
        )
        assert pushed.status_code == 201, pushed.text
        request_uri = pushed.json()["request_uri"]
        authorize = httpx.URL(
            document["authorization_endpoint"],
            params={"client_id": client.client_id, "request_uri": request_uri},
        )
        answer = node_upstream.login(str(authorize), account=PID, acr="idporten-loa-substantial")
        assert answer["state"] == state
        token = oauth.fetch_token(
            document["token_endpoint"], code=answer["code"], code_verifier=verifier
        )
    claims = verified_claims(node_upstream, token["id_token"], client.client_id, nonce)
    assert (claims["pid"], claims["acr"]) == (PID, "idporten-loa-substantial")


def test_cancel_returns_access_denied_with_iss(node_upstream: NodeUpstream) -> None:
    client = node_upstream.secret_client
    with OAuth2Client(
        client.client_id, client.client_secret, redirect_uri=DEFAULT_REDIRECT_URI,
        scope="openid", code_challenge_method="S256",
    ) as oauth:  # fmt: skip
        url, state = oauth.create_authorization_url(
            metadata(node_upstream)["authorization_endpoint"],
            code_verifier=secrets.token_urlsafe(48), nonce="n",
        )  # fmt: skip
    answer = node_upstream.cancel(url)
    assert answer["error"] == "access_denied"
    assert answer["state"] == state
    assert answer["iss"] == node_upstream.issuer


@pytest.mark.parametrize("account", ["12345678901", "not-a-number"])
def test_an_unknown_account_stays_on_the_form(node_upstream: NodeUpstream, account: str) -> None:
    client = node_upstream.secret_client
    with OAuth2Client(
        client.client_id, client.client_secret, redirect_uri=DEFAULT_REDIRECT_URI,
        scope="openid", code_challenge_method="S256",
    ) as oauth:  # fmt: skip
        url, _ = oauth.create_authorization_url(
            metadata(node_upstream)["authorization_endpoint"],
            code_verifier=secrets.token_urlsafe(48), nonce="n",
        )  # fmt: skip
    with pytest.raises(AssertionError, match="answered 400"):
        node_upstream.login(url, account=account)
