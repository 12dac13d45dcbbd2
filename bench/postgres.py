"""A throwaway PostgreSQL cluster: Debian's binaries, a temporary data folder, a free
loopback port, run as the `postgres` user when we are root. The benchmark uses it, and so
does the test suite (tests/support/postgres.py) when CI has not started one.

The benchmark keeps durability on except for `synchronous_commit=off`, the PostgreSQL
counterpart of the provider's SQLite `synchronous=NORMAL` (a crash may lose the last
commits, never consistency); the tests pass their own `settings`. The postmaster's pid
is exposed so the database's CPU can be read.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.processes import free_port


@dataclass
class Cluster:
    admin_url: str
    data_dir: Path
    bindir: Path

    @property
    def postmaster_pid(self) -> int:
        return int((self.data_dir / "postmaster.pid").read_text().split()[0])

    def create_database(self, name: str) -> str:
        """A fresh, empty database; returns its URL."""
        psql = str(self.bindir / "psql")
        subprocess.run(
            [psql, self.admin_url, "-q", "-c", f'CREATE DATABASE "{name}"'],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}"

    def version(self) -> str:
        out = subprocess.run(
            [str(self.bindir / "postgres"), "--version"], capture_output=True, text=True
        )
        return out.stdout.strip()


def find_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


BENCH_SETTINGS = "-c max_connections=300 -c synchronous_commit=off"


@contextlib.contextmanager
def postgres_cluster(
    settings: str = BENCH_SETTINGS, prefix: str = "ansattporten-bench-pg-"
) -> Iterator[Cluster]:
    """A running cluster for the length of the block; stopped and removed afterwards."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL is not installed (no initdb): install Debian's 'postgresql' "
            "package; .ci/run does this"
        )
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    data = workdir / "data"
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(workdir, user.pw_uid, user.pw_gid)
    port = free_port()
    pg_ctl = str(bindir / "pg_ctl")
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-h 127.0.0.1 -p {port} -k {workdir} {settings}"
        subprocess.run(
            _as_postgres(
                [
                    pg_ctl,
                    "-D",
                    str(data),
                    "-l",
                    str(workdir / "log"),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options,
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield Cluster(f"postgresql://postgres@127.0.0.1:{port}/postgres", data, bindir)
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-t", "30", "stop"]),
            check=False,
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(workdir, ignore_errors=True)
