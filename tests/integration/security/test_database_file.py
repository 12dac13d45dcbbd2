"""The SQLite file holds the signing keys, the pairwise secret and, during a login, the
person's national identity number: only its owner may read it (and its -wal/-shm)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.integration.security.support import PID
from tests.support.login_driver import LoginDriver
from tests.support.provider import run_provider


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_are_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "ansattporten.db"
    old_umask = os.umask(0o022)  # the usual umask: new files 0644
    try:
        with run_provider(f"sqlite:///{database}") as provider:
            driver = LoginDriver(provider.base_url)
            try:
                assert driver.redeem(driver.login_for_code(PID)).status_code == 200
                files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
                assert all(each.exists() for each in files)  # a login wrote through the WAL
                assert {each.name: mode_of(each) for each in files} == {
                    each.name: 0o600 for each in files
                }
            finally:
                driver.close()
    finally:
        os.umask(old_umask)
    assert mode_of(Path(f"{database}.migrate-lock")) == 0o600


def test_an_existing_readable_database_is_tightened_at_start(tmp_path: Path) -> None:
    database = tmp_path / "ansattporten.db"
    with run_provider(f"sqlite:///{database}"):
        pass
    database.chmod(0o644)  # made by an older version

    with run_provider(f"sqlite:///{database}"):
        assert mode_of(database) == 0o600
