"""An access token is accepted only as what its header says it is: `typ` at+jwt
(RFC 9068 §4). The provider signs id_tokens with the same keys, so without this check a
token of ours that is not an access token - with the claims of one - would pass at
userinfo and introspection."""

from __future__ import annotations

import pytest

from tests.support.tokens import introspect, resign_with_provider_key


@pytest.fixture
def tokens(make_driver):
    return make_driver("refresh-service").tokens()


@pytest.fixture
def as_typ(sec_provider, tokens):
    """The login's access token, re-signed with the provider's key and header `typ`."""

    def resign(typ):
        return resign_with_provider_key(
            sec_provider.settings.database_url, tokens["access_token"], {}, typ=typ
        )

    return resign


def test_control_the_same_token_with_its_type_is_accepted(sec_provider, as_typ, make_driver):
    token = as_typ("at+jwt")

    userinfo = make_driver().service.get("/userinfo", headers={"Authorization": f"Bearer {token}"})

    assert userinfo.status_code == 200, userinfo.text
    assert introspect(sec_provider.base_url, token).json()["active"] is True


@pytest.mark.parametrize("typ", [None, "JWT", "id_token+jwt"], ids=["none", "jwt", "other"])
def test_a_token_of_another_type_is_refused_at_userinfo(as_typ, make_driver, typ):
    token = as_typ(typ)

    userinfo = make_driver().service.get("/userinfo", headers={"Authorization": f"Bearer {token}"})

    assert userinfo.status_code == 401
    assert userinfo.json()["error"] == "invalid_token"
    assert "pid" not in userinfo.text


@pytest.mark.parametrize("typ", [None, "JWT", "id_token+jwt"], ids=["none", "jwt", "other"])
def test_a_token_of_another_type_is_inactive_at_introspection(sec_provider, as_typ, typ):
    response = introspect(sec_provider.base_url, as_typ(typ))

    assert response.status_code == 200
    assert response.json() == {"active": False}


def test_the_media_type_form_of_the_type_is_accepted(sec_provider, as_typ):
    """RFC 9068 §2.1 also allows `application/at+jwt`."""
    assert introspect(sec_provider.base_url, as_typ("application/at+jwt")).json()["active"]
