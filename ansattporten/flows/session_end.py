"""Ending isolated sessions, and telling the services.

Each ended client session tells its service the way it registered: a back-channel
logout request queued in the database in the same transaction as the session's end (the
delivery worker sends it, so the person never waits for a service), and a front-channel
logout URI for the logout page to load in an iframe. Only the caller whose delete ended
a session queues its request, so two logouts at once send one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ansattporten.flows.clients import find_client
from ansattporten.flows.context import Provider
from ansattporten.records import ClientSession, LogoutDelivery
from ansattporten.records.ids import new_id
from ansattporten.spec.rfc6749 import add_params_to_uri


@dataclass
class Ended:
    """What ending some sessions left for the logout page."""

    sessions: list[ClientSession] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)
    """Front-channel logout URIs to load, with `iss` and `sid` where asked for."""

    @property
    def frame_origins(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(origin_of(uri) for uri in self.frames))


async def end_sessions(provider: Provider, sessions: list[ClientSession]) -> Ended:
    ended = Ended()
    now = provider.clock()
    queued = False
    for session in sessions:
        client = await find_client(provider.store, session.client_id)
        delivery = None
        if client is not None and client.backchannel_logout_uri:
            delivery = LogoutDelivery(
                id=new_id(),
                client_id=session.client_id,
                uri=client.backchannel_logout_uri,
                sub=session.sub,
                sid=session.sid,
                created_at=now,
                next_attempt_at=now,
            )
        if await provider.store.end_client_session(session.sid, delivery) is None:
            continue  # someone else's logout ended it (and told the service)
        ended.sessions.append(session)
        queued = queued or delivery is not None
        if client is not None and client.frontchannel_logout_uri:
            extra = {"iss": provider.issuer, "sid": session.sid}
            with_session = client.frontchannel_logout_session_required
            ended.frames.append(
                add_params_to_uri(client.frontchannel_logout_uri, extra if with_session else {})
            )
    if queued:
        provider.wake_deliveries()
    return ended


def origin_of(uri: str) -> str:
    """`scheme://host[:port]` of an absolute URI, as a CSP source."""
    parts = urlsplit(uri)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"
