"""SQLite's WAL checkpoints, moved off the event loop onto a thread of their own.

In WAL mode a commit appends pages to the `-wal` file; now and then they must be copied
back into the database file (a checkpoint). By default the connection that commits past
1000 pages does it inside its COMMIT: on the inline connection that is the event loop's
thread, and with `synchronous=NORMAL` a checkpoint syncs the WAL and the database file.
Measured on this machine: one commit in about 270 took 5-8 ms instead of 25 us, about as
much blocking in all as the commits themselves. Under load every request of the worker
waited for it.

So the inline connection turns automatic checkpoints off and this thread runs a PASSIVE
checkpoint every `INTERVAL_SECONDS` on its own connection. PASSIVE never waits for
readers or writers and never blocks them; sqlite3 releases the GIL while it works, so
the loop goes on serving. If a round fails it is logged and the next one tries again.
Each worker process runs one; two checkpointing at once is safe (one finds the other
busy and returns).
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger("ansattporten.store")

INTERVAL_SECONDS = 0.5
"""At the bench's highest write rate the WAL grows by about 700 pages a second, so a
checkpoint copies a few hundred pages; an idle database costs one cheap call."""


class BackgroundCheckpoints:
    def __init__(self, path: str) -> None:
        self._path = path
        self._interval = INTERVAL_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            while not self._stop.wait(self._interval):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as error:
                    log.warning("WAL checkpoint failed (tried again shortly): %s", error)
        finally:
            connection.close()

    def close(self) -> None:
        """Stop the thread (it finishes a checkpoint under way first)."""
        self._stop.set()
        self._thread.join(timeout=10)
