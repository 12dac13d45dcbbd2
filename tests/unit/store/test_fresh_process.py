"""A store opened first thing in a fresh process reads and writes records: a second
`serve` worker starts exactly like that, with nothing loaded or cached before."""

from __future__ import annotations

import subprocess
import sys
import textwrap

FRESH_PROCESS = textwrap.dedent(
    """
    import asyncio, sys, time
    from ansattporten.records import Client
    from ansattporten.store import Store

    async def main():
        store = Store(f"sqlite:///{sys.argv[1]}")
        await store.upsert_client(Client(client_id="c1", auth_method="none",
                                         redirect_uris=("https://rp.example/cb",)))
        client = await store.get_client("c1")
        print(client.client_id, client.auth_method, client.redirect_uris[0])
        await store.aclose()

    asyncio.run(main())
    """
)


def test_a_record_stored_first_thing_in_a_fresh_process_reads_back(sqlite_file: str) -> None:
    ran = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, sqlite_file],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.split("\n")[0] == "c1 none https://rp.example/cb"
