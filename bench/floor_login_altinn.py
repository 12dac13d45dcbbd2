"""The floor login's one register call: Altinn's authorized parties for the person,
asked of the bench's mock Altinn with aiohttp exactly as our source asks it (the same
path, query and JSON body, `authz_sources.altinn.client`; no token, since the bench
starts the mock without one and configures ours without one), and decoded with msgspec
into just the fields the picker needs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from urllib.parse import quote

import aiohttp
import msgspec
import yarl

from authz_sources.altinn.client import PARTIES_PATH, PARTIES_QUERY
from authz_sources.altinn.wire import PERSON_IDENTIFIER, SubjectAttribute

TIMEOUT_SECONDS = 2.0
POOL = 32
"""Connections to the register at most, as our Altinn client's pool."""
HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


class RegisterDown(Exception):
    """The register did not answer 200 with the expected JSON in time."""


class Party(msgspec.Struct, rename="camel", kw_only=True):
    """What the picker reads of one authorized party (unknown fields are skipped)."""

    name: str
    organization_number: str | None = None
    is_deleted: bool = False
    only_hierarchy_element_with_no_access: bool = False
    authorized_access_packages: list[str] = msgspec.field(default_factory=list)
    authorized_resources: list[str] = msgspec.field(default_factory=list)
    authorized_roles: list[str] = msgspec.field(default_factory=list)
    subunits: Sequence[Party] = ()


_PARTIES = msgspec.json.Decoder(list[Party])


def eligible(parties: Sequence[Party]) -> Iterator[tuple[str, str]]:
    """(orgno, name) of every organisation, sub-units after their main unit, that holds
    the asked resource itself (a role, a package or a delegation: the answer was
    filtered by it) and is not deleted; hierarchy elements without access and access
    to single instances only are not offered."""
    for party in parties:
        if party.organization_number and not party.is_deleted and holds_the_resource(party):
            yield party.organization_number, party.name
        yield from eligible(party.subunits)


def holds_the_resource(party: Party) -> bool:
    """A role, a package or a delegation behind the party itself (the answer was
    filtered by the resource), not only a place in the hierarchy."""
    return not party.only_hierarchy_element_with_no_access and bool(
        party.authorized_roles or party.authorized_access_packages or party.authorized_resources
    )


class Altinn:
    """One aiohttp session (its own connection pool) to the register."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._urls: dict[str, yarl.URL] = {}
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=POOL),
            timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
        )

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()

    def parties_url(self, resource_id: str) -> yarl.URL:
        """Parsed once per resource: the URL is the same for every person."""
        url = self._urls.get(resource_id)
        if url is None:
            filters = f"&anyOfResourceIds={quote(resource_id, safe='')}"
            url = yarl.URL(f"{self.base_url}{PARTIES_PATH}?{PARTIES_QUERY}{filters}", encoded=True)
            self._urls[resource_id] = url
        return url

    async def authorized_parties(self, pid: str, resource_id: str) -> list[Party]:
        assert self._session is not None, "start() first"
        body = msgspec.json.encode(SubjectAttribute(type=PERSON_IDENTIFIER, value=pid))
        try:
            async with self._session.post(
                self.parties_url(resource_id), data=body, headers=HEADERS
            ) as response:
                content = await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RegisterDown(type(error).__name__) from error
        if status != 200:
            raise RegisterDown(f"HTTP {status}")
        try:
            return _PARTIES.decode(content)
        except msgspec.DecodeError as error:
            raise RegisterDown("malformed answer") from error
