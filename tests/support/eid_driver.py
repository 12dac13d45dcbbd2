"""Driving a login through the eID selector and an upstream eID over real HTTP, as a
browser would: the provider's pages, then the mock ID-porten's or mock Entra ID's pages
(their own cookies, on their own ports), then back to the provider's callback.

    driver = EidDriver(stack.provider)
    login_url = driver.start(details, acr_values="idporten-loa-substantial entraid")
    driver.eid_names(login_url)                             # ["testid", "idporten", ...]
    upstream = driver.upstream_via(login_url, "idporten")   # the mock's login page
    back = driver.idporten_national(upstream, LARS)         # the redirect to our callback
    answer = driver.onwards(driver.arrive(back))            # the picker, or the code
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin, urlsplit

import httpx

from tests.support.login_driver import LoginDriver, forms_of


@dataclass
class Upstream:
    """A page of an upstream mock (its URL and body)."""

    url: str
    response: httpx.Response

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


class EidDriver(LoginDriver):
    def selector(self, login_url: str) -> httpx.Response:
        page = self.browser.get(login_url)
        assert page.status_code == 200, page.text[:500]
        assert 'name="eid"' in page.text, page.text[:500]
        return page

    def eid_names(self, login_url: str) -> list[str]:
        """The eIDs the selector offers, in order."""
        page = self.selector(login_url)
        names = []
        for chunk in page.text.split('name="eid" value="')[1:]:
            names.append(unescape(chunk.split('"', 1)[0]))
        return names

    def choose_eid(self, login_url: str, eid: str) -> httpx.Response:
        """Press the eID's button on the selector; the provider's answer (a redirect)."""
        page = self.selector(login_url)
        form = next(f for f in forms_of(page.text) if f.action.endswith("/eid"))
        return self.browser.post(form.action, data={**form.fields, "eid": eid})

    def to_upstream(self, response: httpx.Response) -> Upstream:
        """Follow the provider's redirect to the upstream, and the upstream's own
        redirects, to its page."""
        assert response.status_code == 303, response.text[:500]
        url = urljoin(str(response.url), response.headers["location"])
        assert not url.startswith(self.base_url), url
        for _ in range(10):
            answer = self.browser.get(url)
            if not answer.is_redirect:
                assert answer.status_code == 200, answer.text[:500]
                return Upstream(url, answer)
            url = urljoin(url, answer.headers["location"])
        raise AssertionError("redirect loop at the upstream")

    def upstream_via(self, login_url: str, eid: str | None = None) -> Upstream:
        """From the login: the selector's button for `eid` (or straight, when the
        provider skips the selector) to the upstream's page."""
        if eid is None:
            return self.to_upstream(self.browser.get(login_url))
        return self.to_upstream(self.choose_eid(login_url, eid))

    def submit_upstream(self, page: Upstream, data: dict[str, str]) -> str:
        """Post the upstream's form; follow it until it sends the browser back to the
        provider. Returns that URL (the callback, with code/state/iss or an error)."""
        action = _form_action(page)
        answer = self.browser.post(urljoin(page.url, action), data=data)
        url = page.url
        for _ in range(10):
            if not answer.is_redirect:
                if answer.status_code == 200 and "consent" in str(answer.url):
                    return self.submit_upstream(Upstream(str(answer.url), answer), data)
                raise AssertionError(
                    f"the upstream answered {answer.status_code}: {answer.text[:400]}"
                )
            url = urljoin(url, answer.headers["location"])
            if url.startswith(self.base_url):
                return url
            answer = self.browser.get(url)
        raise AssertionError("redirect loop at the upstream")

    # the mock ID-porten ----------------------------------------------------------------

    def idporten_national(self, page: Upstream, pid: str, method: str = "bankid") -> str:
        return self.submit_upstream(
            page, {"action": "national", "pid": pid, "method": method, "locale": "nb"}
        )

    def idporten_eidas(self, page: Upstream, identifier: str, level: str) -> str:
        return self.submit_upstream(
            page, {"action": "eidas", "eidas_person": identifier, "level": level, "locale": "nb"}
        )

    def idporten_cancel(self, page: Upstream) -> str:
        return self.submit_upstream(page, {"action": "cancel", "locale": "nb"})

    # the mock Entra ID -----------------------------------------------------------------

    def entra_sign_in(self, page: Upstream, tenant_id: str, oid: str) -> str:
        """Pick the account; consent (accept) when asked."""
        return self.submit_upstream(
            page, {"account": f"{tenant_id}:{oid}", "action": "accept", "locale": "en"}
        )

    # back at the provider --------------------------------------------------------------

    def arrive(self, callback_url: str) -> httpx.Response:
        """The browser brings the upstream's answer to the provider's callback."""
        return self.browser.get(callback_url)

    def onwards(self, response: httpx.Response) -> httpx.Response:
        """Follow the provider's redirects within itself (to the picker, which may send
        the browser on at once); stop at a page or at the redirect to the service."""
        for _ in range(5):
            if not response.is_redirect:
                return response
            url = urljoin(str(response.url), response.headers["location"])
            if not url.startswith(self.base_url):
                return response
            response = self.browser.get(url)
        raise AssertionError("redirect loop at the provider")


def offered_orgnos(picker_html: str) -> list[str]:
    """The organisation numbers the picker page lists."""
    return re.findall(r'name="party" id="[^"]*" value="([0-9]{9})"', picker_html)


def _form_action(page: Upstream) -> str:
    text = page.response.text
    marker = '<form method="post" action="'
    start = text.find(marker)
    if start < 0:
        return urlsplit(page.url).path
    return unescape(text[start + len(marker) :].split('"', 1)[0])
