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

Copying the pages is not enough to keep the `-wal` file from growing. A writer starts
the log again from its beginning only if, when its transaction begins, every frame in
the log has been copied and no reader still uses the log. Under steady load a PASSIVE
checkpoint does copy every frame it saw, but new commits have appended more by the time
it returns, so the inline writer never found the log fully copied: the file grew by
every page ever written (gigabytes in minutes; plain sqlite3 shows the same with one
writer and one checkpointing thread). So once the log holds `RESTART_AFTER_FRAMES`
frames, this thread follows the PASSIVE round with a TRUNCATE checkpoint: it holds the
write lock while it copies the few frames written since, waits for readers to leave
the log, and empties the file (tried for up to `WAIT_MS`, on this thread). Writers
meanwhile find the database busy: the inline connection waits for that on the event
loop, without blocking it (`sqlite`). `JOURNAL_SIZE_LIMIT`, set on the inline
connection and this one, shrinks the file when a writer starts the log again itself
(after a quiet moment).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

log = logging.getLogger("ansattporten.store")

INTERVAL_SECONDS = 0.5
"""At the bench's highest write rate the WAL grows by about 700 pages a second, so a
checkpoint copies a few hundred pages; an idle database costs one cheap call."""
RESTART_AFTER_FRAMES = 2048
"""Pages in the log (8 MiB at SQLite's 4 KiB pages) past which a round empties it."""
WAIT_MS = 200
"""How long the emptying checkpoint tries for the write lock and for readers to leave
the log (on this thread); a round that cannot have them in time leaves it to the next."""
RETRY_SECONDS = 0.0002
JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024
"""`PRAGMA journal_size_limit`: bytes of `-wal` kept when a writer starts the log again."""


class BackgroundCheckpoints:
    def __init__(self, path: str) -> None:
        self._path = path
        self._interval = INTERVAL_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
        try:
            while not self._stop.wait(self._interval):
                try:
                    checkpoint_round(connection)
                except sqlite3.Error as error:
                    log.warning("WAL checkpoint failed (tried again shortly): %s", error)
        finally:
            connection.close()

    def close(self) -> None:
        """Stop the thread (it finishes a checkpoint under way first)."""
        self._stop.set()
        self._thread.join(timeout=10)


def checkpoint_round(connection: sqlite3.Connection) -> tuple[int, int, int]:
    """Copy what the log holds; empty it once it holds `RESTART_AFTER_FRAMES` frames.
    Returns SQLite's (busy, frames in the log, frames copied) of the last checkpoint."""
    busy, frames, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    if frames >= RESTART_AFTER_FRAMES:
        busy, frames, copied = empty_log(connection)
    return int(busy), int(frames), int(copied)


def empty_log(connection: sqlite3.Connection) -> tuple[int, int, int]:
    """A TRUNCATE checkpoint, tried every `RETRY_SECONDS` for up to `WAIT_MS`. The
    connection has no busy timeout: SQLite's own handler sleeps 1, 2, 5, 10 ... ms
    between tries, and a writer committing back to back takes the lock again in
    between every time; trying often finds one of the moments it is free."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        busy, frames, copied = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy or time.monotonic() > deadline:
            return busy, frames, copied
        time.sleep(RETRY_SECONDS)
