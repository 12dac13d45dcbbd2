"""National identity numbers and tokens never reach the documented nginx's access log:
its log format leaves query strings (and the Referer) out, so a GET /logout with an
id_token_hint, an /authorize request and a token sent in a query are logged by path
alone. POST /logout keeps the id_token out of URLs altogether."""

from __future__ import annotations

from pathlib import Path

from tests.integration.security.support import PID
from tests.support.login_driver import LoginDriver
from tests.support.nginx import run_nginx
from tests.support.served import provider_settings_file, served
from tests.support.servers import free_port


def test_the_access_log_holds_no_query_string(tmp_path: Path) -> None:
    port = free_port()
    settings = provider_settings_file(tmp_path, port, trusted_proxies=["127.0.0.1"])
    with served(settings) as provider:
        upstream = int(provider.rsplit(":", 1)[1])
        with run_nginx(tmp_path / "nginx", [upstream], port=port) as nginx:
            driver = LoginDriver(nginx.base_url)
            try:
                tokens = driver.redeem(driver.login_for_code(PID, via_par=False)).json()
                driver.service.get("/userinfo", params={"access_token": tokens["access_token"]})
                by_get = driver.browser.get("/logout", params={"id_token_hint": tokens["id_token"]})
                by_post = driver.browser.post("/logout", data={"id_token_hint": tokens["id_token"]})
            finally:
                driver.close()
            logged = nginx.logged()

    assert by_get.status_code == 200, by_get.text
    assert by_post.status_code == 200, by_post.text
    assert '"GET /logout HTTP/1.1" 200' in logged
    assert '"POST /logout HTTP/1.1" 200' in logged
    assert '"GET /authorize HTTP/1.1" 303' in logged
    for secret in (tokens["id_token"], tokens["access_token"], driver.state, driver.nonce, PID):
        assert secret not in logged
    requests = [line for line in logged.splitlines() if '"GET /' in line or '"POST /' in line]
    assert requests
    assert not [line for line in requests if "?" in line]
