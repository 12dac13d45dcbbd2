"""`ansattporten demo` as it runs, for a test: every server of the demo on its own
loopback port (the provider, the example services, the mock registers and eIDs, the
employer-rules service), built by the same functions the command uses."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ansattporten.cli.demo_settings import DemoPorts, demo_settings
from ansattporten.cli.run import (
    demo_apps,
    demo_employer_rules,
    demo_maskinporten,
    demo_upstreams,
)
from tests.support.servers import free_socket, serve_in_thread


@dataclasses.dataclass
class RunningDemo:
    ports: DemoPorts
    apps: dict[int, Any]

    def url(self, name: str) -> str:
        return self.ports.url("127.0.0.1", name)


@contextlib.contextmanager
def run_demo(data_dir: Path) -> Iterator[RunningDemo]:
    names = [field.name for field in dataclasses.fields(DemoPorts)]
    sockets = {name: free_socket() for name in names}
    ports = DemoPorts(**{name: sock.getsockname()[1] for name, sock in sockets.items()})
    settings = demo_settings("127.0.0.1", ports, data_dir)
    apps = demo_apps("127.0.0.1", ports, settings)
    apps.update(demo_maskinporten("127.0.0.1", ports, data_dir))
    apps.update(demo_upstreams("127.0.0.1", ports))
    apps.update(demo_employer_rules("127.0.0.1", ports, data_dir))
    by_port = {sock.getsockname()[1]: sock for sock in sockets.values()}
    with contextlib.ExitStack() as running:
        for port, app in apps.items():
            running.enter_context(serve_in_thread(app, by_port[port]))
        yield RunningDemo(ports, apps)
