"""`make_private` creates the database file owner-only and tightens a readable one, and
touches nothing that is not a regular file: a URL naming a folder is SQLite's to refuse,
never a reason to change that folder's mode."""

from __future__ import annotations

import stat
from pathlib import Path

from ansattporten.store.sqlite_file import make_private


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_created_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "new.db"
    make_private(f"sqlite:///{database}")
    assert mode_of(database) == 0o600


def test_a_readable_file_and_its_wal_are_tightened(tmp_path: Path) -> None:
    database, wal = tmp_path / "old.db", tmp_path / "old.db-wal"
    for each in (database, wal):
        each.write_bytes(b"")
        each.chmod(0o644)
    make_private(f"sqlite+aiosqlite:///{database}")
    assert (mode_of(database), mode_of(wal)) == (0o600, 0o600)


def test_a_folder_named_as_the_database_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o1777)
    make_private(f"sqlite:///{folder}")
    assert mode_of(folder) == 0o1777


def test_other_databases_are_left_alone(tmp_path: Path) -> None:
    make_private("postgresql://user@host/db")
    make_private("sqlite:///:memory:")
    assert list(tmp_path.iterdir()) == []
