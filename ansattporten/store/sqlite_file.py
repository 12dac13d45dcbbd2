"""The SQLite database file is readable by its owner only.

It holds the private signing keys, the pairwise-subject secret and, for the length of a
login, national identity numbers. SQLite creates a new file with 0644 under the usual
umask and gives its `-wal` and `-shm` files the database file's own mode, so creating
the file 0600 before SQLite first opens it is enough for all three. A file made by an
older version (or copied in) is tightened at start, with its companions.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat

log = logging.getLogger("ansattporten.store")

PRIVATE = 0o600
COMPANIONS = ("", "-wal", "-shm", "-journal", ".migrate-lock")


def sqlite_path(database_url: str) -> str | None:
    """The file behind a `sqlite:///...` URL; None for other databases and `:memory:`."""
    marker = ":///"
    if not database_url.startswith("sqlite") or marker not in database_url:
        return None
    path = database_url.split(marker, 1)[1].split("?", 1)[0]
    return path if path and path != ":memory:" else None


def make_private(database_url: str) -> None:
    """Create the database file 0600 if it does not exist yet, and take group and other
    permissions away from it and its companion files if they have any."""
    path = sqlite_path(database_url)
    if path is not None:
        make_path_private(path)


def make_path_private(path: str) -> None:
    """`make_private` for the file at `path`."""
    with contextlib.suppress(FileExistsError, FileNotFoundError):  # no folder: SQLite says so
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE))
    for suffix in COMPANIONS:
        _tighten(path + suffix)


def _tighten(path: str) -> None:
    """Owner-only, for a regular file only: a URL that names a folder or a device is
    SQLite's to refuse, never a reason to change that folder's mode."""
    try:
        status = os.stat(path)
    except OSError:
        return
    mode = stat.S_IMODE(status.st_mode)
    if not stat.S_ISREG(status.st_mode) or not mode & 0o077:
        return
    try:
        os.chmod(path, mode & 0o700)
    except PermissionError:
        log.warning("%s is readable by others and cannot be changed: chmod 600 it", path)
        return
    log.info("%s was readable by others; now owner-only (was %o)", path, mode)
