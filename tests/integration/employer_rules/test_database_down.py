"""The service's database unreachable: the API says 503 (so the provider fails the
login closed), health says so too, and the admin pages show a page, not a trace."""

from __future__ import annotations

import httpx

from employer_rules.app import create_app
from tests.support.employer_rules import API_TOKEN, rules_settings
from tests.support.servers import free_port, free_socket, serve_in_thread


def test_no_database_means_unavailable_never_an_empty_answer() -> None:
    closed = f"postgresql://nobody@127.0.0.1:{free_port()}/nothing"
    sock = free_socket()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = rules_settings(base_url, closed, overrides={"purge_interval_seconds": 0})
    with serve_in_thread(create_app(settings, prepared=True), sock) as url:
        answer = httpx.post(
            f"{url}/parties",
            json={
                "type": "ansattporten:orgno",
                "client_id": "x",
                "subject": {"email": "kari@oter.example"},
                "detail": {"type": "ansattporten:orgno"},
            },
            headers={"Authorization": f"Bearer {API_TOKEN}"},
        )
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"] == "temporarily_unavailable"
        assert httpx.get(f"{url}/health").status_code == 503
        page = httpx.get(f"{url}/rules", cookies={"employer_rules_session": "x"})
        assert page.status_code == 503
        assert "text/html" in page.headers["content-type"]
        assert "Traceback" not in page.text
        assert "asyncpg" not in page.text
