"""A "browser" for the example services without a real browser: an httpx client with a
cookie jar that follows redirects between the service and the provider, fills in the
TestID form and the organisation picker, and reads the pages back.

The service and the provider run on different ports of 127.0.0.1; cookies are shared
across ports (as in a real browser), which is why each example names its own cookie."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode, urljoin

import httpx

from tests.support.login_driver import forms_of

SUBSTANTIAL = "idporten-loa-substantial"


class ServiceBrowser:
    def __init__(self) -> None:
        self.http = httpx.Client(follow_redirects=True, timeout=30)

    def close(self) -> None:
        self.http.close()

    def start(self, service: str, eid: str = "testid") -> httpx.Response:
        """Press the service's login button (and `eid`'s button on the eID selector,
        when the service accepts several eIDs); returns that eID's page: TestID's form,
        or the upstream's login page."""
        page = self.http.post(f"{service}/login")
        assert page.status_code == 200, page.text
        if 'name="eid"' in page.text:  # the eID selector
            form = next(f for f in forms_of(page.text) if f.action.endswith("/eid"))
            page = self.http.post(
                urljoin(str(page.url), form.action), data={**form.fields, "eid": eid}
            )
            assert page.status_code == 200, page.text
        if eid == "testid":
            assert "/login/" in page.url.path, page.url
        return page

    def submit(self, page: httpx.Response, data: dict[str, str]) -> httpx.Response:
        """Post the page's (first) form with `data`; follow wherever it leads."""
        action = re.search(r'<form method="post" action="([^"]*)"', page.text)
        assert action, page.text[:500]
        return self.http.post(urljoin(str(page.url), unescape(action.group(1))), data=data)

    def log_in(self, service: str, pid: str, acr: str = SUBSTANTIAL) -> httpx.Response:
        """Start at the service and log in; returns wherever the browser lands (the
        picker, an error page at the provider, or the service's callback page)."""
        page = self.start(service)
        form = next(f for f in forms_of(page.text) if f.action.endswith("/testid"))
        return self.http.post(
            urljoin(str(page.url), form.action), data={**form.fields, "pid": pid, "acr": acr}
        )

    def choose(self, picker: httpx.Response, orgno: str | None) -> httpx.Response:
        """Pick `orgno` (None: represent oneself) and follow back to the service."""
        form = next(f for f in forms_of(picker.text) if "/organisation/" in f.action)
        pairs = list(form.fields.items())
        pairs += [("party", orgno), ("choose", "1")] if orgno else [("self", "1")]
        return self.http.post(
            urljoin(str(picker.url), form.action),
            content=urlencode(pairs),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def back_to_service(self, error_page: httpx.Response) -> httpx.Response:
        """Follow the provider's "back to the service" link of an error page."""
        found = re.search(r'href="([^"]*/return)"', error_page.text)
        assert found, error_page.text
        return self.http.get(urljoin(str(error_page.url), unescape(found.group(1))))


def offered(picker_html: str) -> list[str]:
    """The organisation numbers the picker lets the person choose."""
    return re.findall(r'<input[^>]*name="party"[^>]*value="([0-9]{9})"', picker_html)


def text_of(html: str, element_id: str) -> str:
    """The text of the element with `id` (the examples' pages are flat and simple)."""
    found = re.search(rf"id=['\"]{element_id}['\"][^>]*>(.*?)</", html, re.S)
    assert found, f"no #{element_id} in page: {html[:2000]}"
    return unescape(found.group(1))


def contains_id(html: str, element_id: str) -> bool:
    return re.search(rf"id=['\"]{element_id}['\"]", html) is not None
