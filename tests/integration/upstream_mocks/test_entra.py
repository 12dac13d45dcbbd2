"""The mock Entra ID over real HTTP: multi-tenant discovery with `{tenantid}`, a sign-in
with first-login consent, id_token claims per tenant (groups, overage, email, amr),
blocked and disabled tenants, declined consent, secrets and certificate assertions."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from ansattporten.upstream_mocks.entra.app import MockEntra
from ansattporten.upstream_mocks.entra.fixture import Tenant, User
from ansattporten.upstream_mocks.faults import Faults
from tests.integration.upstream_mocks.conftest import BROKER_KEY, REDIRECT, SECRET, Browser
from tests.support.upstream_clients import assertion_form, client_assertion, pkce_pair

Make = Any


def tenant(entra: MockEntra, domain: str) -> Tenant:
    found = entra.fixture.tenant(domain)
    assert found is not None
    return found


def user(entra: MockEntra, domain: str, local: str) -> tuple[Tenant, User]:
    home = tenant(entra, domain)
    found = next(u for u in home.users if u.user_principal_name.startswith(local + "@"))
    return home, found


def client_id(entra: MockEntra) -> str:
    return entra.fixture.applications[0].client_id


def sign_in(
    entra: MockEntra,
    browser: Browser,
    who: tuple[Tenant, User],
    *,
    path: str = "organizations",
    consent: str | None = "accept",
    scope: str = "openid profile email",
) -> tuple[dict[str, str], str, str]:
    """Through "Pick an account" (and consent); (answer, code_verifier, nonce)."""
    verifier, challenge = pkce_pair()
    nonce = secrets.token_urlsafe(12)
    params = {
        "client_id": client_id(entra), "response_type": "code", "redirect_uri": REDIRECT,
        "scope": scope, "state": "st", "nonce": nonce, "code_challenge": challenge,
        "code_challenge_method": "S256", "ui_locales": "en",
    }  # fmt: skip
    page = browser.open(
        str(httpx.URL(f"{entra.base_url}/{path}/oauth2/v2.0/authorize", params=params))
    )
    assert isinstance(page, httpx.Response), page
    assert page.status_code == 200, page.text[:300]
    home, person = who
    answer = browser.submit(str(page.url), {"account": f"{home.tenant_id}:{person.oid}"})
    if isinstance(answer, httpx.Response):
        assert answer.status_code == 200, answer.text[:300]
        assert "Permissions requested" in answer.text
        assert consent is not None
        answer = browser.submit(str(answer.url).split("?")[0], {"action": consent})
    assert isinstance(answer, dict), answer
    return answer, verifier, nonce


def redeem(entra: MockEntra, answer: dict[str, str], verifier: str, path: str = "common",
           **auth: str) -> httpx.Response:  # fmt: skip
    form = {"grant_type": "authorization_code", "code": answer["code"], "redirect_uri": REDIRECT,
            "code_verifier": verifier, "client_id": client_id(entra), **auth}  # fmt: skip
    if not auth:
        form["client_secret"] = SECRET
    return httpx.post(f"{entra.base_url}/{path}/oauth2/v2.0/token", data=form)


def claims_of(entra: MockEntra, id_token: str, tid: str) -> dict[str, Any]:
    discovery = httpx.get(f"{entra.base_url}/common/v2.0/.well-known/openid-configuration").json()
    keys = KeySet.import_key_set(httpx.get(discovery["jwks_uri"]).json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    assert token.header["typ"] == "JWT"
    issuer = discovery["issuer"].replace("{tenantid}", tid)
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": issuer}, aud={"essential": True, "value": client_id(entra)}
    ).validate(token.claims)
    return dict(token.claims)


def test_multi_tenant_discovery_has_the_tenantid_template(entra: MockEntra) -> None:
    for path in ("common", "organizations"):
        document = httpx.get(
            f"{entra.base_url}/{path}/v2.0/.well-known/openid-configuration"
        ).json()
        assert document["issuer"] == f"{entra.base_url}/{{tenantid}}/v2.0"
        assert (
            document["authorization_endpoint"] == f"{entra.base_url}/{path}/oauth2/v2.0/authorize"
        )
        assert "pushed_authorization_request_endpoint" not in document
        assert "authorization_response_iss_parameter_supported" not in document
    home = tenant(entra, "fjordvind.example")
    own = httpx.get(
        f"{entra.base_url}/{home.tenant_id}/v2.0/.well-known/openid-configuration"
    ).json()
    assert own["issuer"] == f"{entra.base_url}/{home.tenant_id}/v2.0"
    by_domain = httpx.get(
        f"{entra.base_url}/fjordvind.example/v2.0/.well-known/openid-configuration"
    )
    assert by_domain.json()["issuer"] == own["issuer"]
    keys = httpx.get(own["jwks_uri"]).json()["keys"]
    assert all(k["issuer"] == own["issuer"] and k["x5t"] == k["kid"] and k["x5c"] for k in keys)
    unknown = httpx.get(f"{entra.base_url}/nowhere.example/v2.0/.well-known/openid-configuration")
    assert unknown.status_code == 400
    assert unknown.json()["error_codes"] == [90002]


def test_first_sign_in_asks_for_consent_then_not_again(entra: MockEntra, browser_for: Make) -> None:
    who = user(entra, "fjordvind.example", "nora.berg")
    entra.consents.clear()
    answer, verifier, nonce = sign_in(entra, browser_for(entra.base_url), who)
    assert answer["state"] == "st"
    assert "iss" not in answer  # Entra does not send RFC 9207 iss
    response = redeem(entra, answer, verifier)
    assert response.status_code == 200, response.text
    claims = claims_of(entra, response.json()["id_token"], who[0].tenant_id)
    assert claims["tid"] == who[0].tenant_id
    assert claims["oid"] == who[1].oid
    assert claims["nonce"] == nonce
    assert claims["ver"] == "2.0"
    assert (claims["email"], claims["preferred_username"]) == (
        "nora.berg@fjordvind.example", "nora.berg@fjordvind.example",
    )  # fmt: skip
    assert (claims["name"], claims["given_name"], claims["family_name"]) == (
        "Nora Berg", "Nora", "Berg",
    )  # fmt: skip
    assert claims["amr"] == ["pwd", "mfa"]
    assert claims["groups"] == who[1].groups
    again, _, _ = sign_in(entra, browser_for(entra.base_url), who, consent=None)
    assert "code" in again  # no consent page the second time


def test_a_user_in_25_groups_gets_all_25(entra: MockEntra, browser_for: Make) -> None:
    """Entra sends up to 200 groups; cutting to 20 is the broker's job."""
    who = user(entra, "fjordvind.example", "sindre.lie")
    answer, verifier, _ = sign_in(entra, browser_for(entra.base_url), who)
    claims = claims_of(entra, redeem(entra, answer, verifier).json()["id_token"], who[0].tenant_id)
    assert len(claims["groups"]) == 25


def test_over_200_groups_is_the_overage_claim(entra: MockEntra, browser_for: Make) -> None:
    who = user(entra, "havbris.example", "kari.mange")
    answer, verifier, _ = sign_in(entra, browser_for(entra.base_url), who, consent=None)
    claims = claims_of(entra, redeem(entra, answer, verifier).json()["id_token"], who[0].tenant_id)
    assert "groups" not in claims
    assert claims["_claim_names"] == {"groups": "src1"}


def test_admin_consented_tenant_shows_no_consent(entra: MockEntra, browser_for: Make) -> None:
    who = user(entra, "havbris.example", "jon.fjell")
    answer, verifier, _ = sign_in(entra, browser_for(entra.base_url), who, consent=None)
    claims = claims_of(entra, redeem(entra, answer, verifier).json()["id_token"], who[0].tenant_id)
    assert claims["iss"] == f"{entra.base_url}/{who[0].tenant_id}/v2.0"
    assert claims["amr"] == ["pwd", "rsa", "mfa"]


def test_user_without_mailbox_has_no_email(entra: MockEntra, browser_for: Make) -> None:
    who = user(entra, "fjordvind.example", "eva.strand")
    answer, verifier, _ = sign_in(entra, browser_for(entra.base_url), who)
    claims = claims_of(entra, redeem(entra, answer, verifier).json()["id_token"], who[0].tenant_id)
    assert "email" not in claims
    assert claims["preferred_username"] == "eva.strand@fjordvind.example"


def test_without_profile_scope_no_oid_or_name(entra: MockEntra, browser_for: Make) -> None:
    who = user(entra, "havbris.example", "jon.fjell")
    answer, verifier, _ = sign_in(entra, browser_for(entra.base_url), who, consent=None,
                                  scope="openid")  # fmt: skip
    claims = claims_of(entra, redeem(entra, answer, verifier).json()["id_token"], who[0].tenant_id)
    assert "oid" not in claims
    assert "preferred_username" not in claims
    assert "tid" in claims


@pytest.mark.parametrize(
    ("domain", "local", "error", "code"),
    [
        ("blokkertbygg.example", "tor.stengt", "access_denied", "AADSTS50105"),
        ("avslatt.example", "liv.lukket", "unauthorized_client", "AADSTS7000112"),
    ],
)
def test_a_tenant_that_blocks_the_app(
    entra: MockEntra, browser_for: Make, domain: str, local: str, error: str, code: str
) -> None:
    answer, _, _ = sign_in(entra, browser_for(entra.base_url), user(entra, domain, local))
    assert answer["error"] == error
    assert answer["error_description"].startswith(f"{code}: ")
    assert answer["state"] == "st"
    assert "code" not in answer


def test_declined_consent_is_access_denied(entra: MockEntra, browser_for: Make) -> None:
    who = user(entra, "fjordvind.example", "nora.berg")
    entra.consents.clear()
    answer, _, _ = sign_in(entra, browser_for(entra.base_url), who, consent="decline")
    assert answer["error"] == "access_denied"
    assert answer["error_description"].startswith("AADSTS65004: ")


def test_a_tenant_url_admits_only_its_users(entra: MockEntra, browser_for: Make) -> None:
    havbris = tenant(entra, "havbris.example")
    browser = browser_for(entra.base_url)
    _verifier, challenge = pkce_pair()
    params = {
        "client_id": client_id(entra), "response_type": "code", "redirect_uri": REDIRECT,
        "scope": "openid", "code_challenge": challenge, "code_challenge_method": "S256",
    }  # fmt: skip
    page = browser.open(
        str(httpx.URL(f"{entra.base_url}/{havbris.tenant_id}/oauth2/v2.0/authorize", params=params))
    )
    assert isinstance(page, httpx.Response)
    assert "jon.fjell@havbris.example" in page.text
    assert "nora.berg@fjordvind.example" not in page.text
    nora = user(entra, "fjordvind.example", "nora.berg")
    refused = browser.submit(str(page.url), {"account": f"{nora[0].tenant_id}:{nora[1].oid}"})
    assert isinstance(refused, httpx.Response)
    assert refused.status_code == 400


def test_token_endpoint_refusals(entra: MockEntra, browser_for: Make) -> None:
    who = user(entra, "havbris.example", "jon.fjell")
    answer, verifier, _ = sign_in(entra, browser_for(entra.base_url), who, consent=None)
    wrong_secret = redeem(entra, answer, verifier, client_secret="nope")
    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["error_codes"] == [7000215]
    no_credentials = httpx.post(
        f"{entra.base_url}/common/oauth2/v2.0/token",
        data={"grant_type": "authorization_code", "code": answer["code"],
              "client_id": client_id(entra), "redirect_uri": REDIRECT},
    )  # fmt: skip
    assert no_credentials.json()["error_codes"] == [7000218]
    bad_verifier = redeem(entra, answer, pkce_pair()[0])
    assert bad_verifier.json()["error"] == "invalid_grant"
    assert bad_verifier.json()["error_codes"] == [50148]
    reused = redeem(entra, answer, verifier)
    assert reused.json()["error_codes"] == [54005]


def test_code_redeemed_at_another_tenant_is_refused(entra: MockEntra, browser_for: Make) -> None:
    who = user(entra, "havbris.example", "jon.fjell")
    answer, verifier, _ = sign_in(entra, browser_for(entra.base_url), who, consent=None)
    other = tenant(entra, "fjordvind.example").tenant_id
    assert redeem(entra, answer, verifier, path=other).json()["error"] == "invalid_grant"


def test_certificate_credential(entra: MockEntra, browser_for: Make) -> None:
    who = user(entra, "havbris.example", "jon.fjell")
    answer, verifier, _ = sign_in(entra, browser_for(entra.base_url), who, consent=None)
    token_url = f"{entra.base_url}/organizations/oauth2/v2.0/token"
    for alg in ("PS256", "RS256"):
        audience = token_url if alg == "PS256" else entra.base_url
        key = BROKER_KEY.as_dict(private=True)
        assertion = client_assertion(client_id(entra), key, audience, alg=alg)
        response = redeem(entra, answer, verifier, path="organizations",
                          **assertion_form(client_id(entra), assertion))  # fmt: skip
        if alg == "RS256":  # wrong aud: the issuer is not the token endpoint at Entra
            assert response.status_code == 401
            assert response.json()["error_codes"] == [700027]
        else:
            assert response.status_code == 200, response.text


def test_faults_and_rotation(entra: MockEntra, browser_for: Make) -> None:
    who = user(entra, "havbris.example", "jon.fjell")
    old = entra.keys.active_kid
    new = entra.keys.rotate()
    answer, verifier, _ = sign_in(entra, browser_for(entra.base_url), who, consent=None)
    token = redeem(entra, answer, verifier).json()["id_token"]
    keys = KeySet.import_key_set(httpx.get(f"{entra.base_url}/common/discovery/v2.0/keys").json())
    assert jwt.decode(token, keys).header["kid"] == new
    assert old in entra.keys.published_kids
    entra.faults = Faults(unavailable=True)
    assert httpx.get(f"{entra.base_url}/common/discovery/v2.0/keys").status_code == 503


def test_unknown_application_gets_entras_error_page(entra: MockEntra) -> None:
    response = httpx.get(
        f"{entra.base_url}/common/oauth2/v2.0/authorize",
        params={"client_id": "00000000-0000-0000-0000-000000000000", "redirect_uri": REDIRECT,
                "response_type": "code", "scope": "openid"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "AADSTS700016" in response.text
    assert "location" not in response.headers
