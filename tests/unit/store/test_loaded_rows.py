"""Rows loaded by `operations` (built the way SQLAlchemy's loader builds them) read and
write like constructed ORM objects, also in a fresh process where no ORM object was
constructed before: a second `serve` worker starts exactly like that."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

FRESH_PROCESS = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import create_engine, insert
    from ansattporten.store.inline_sqlite import InlineSQLite
    from ansattporten.store.models import Base
    from ansattporten.store import operations as op

    path = sys.argv[1]
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(op.CLIENTS).values(
            client_id="c1", secret_hash=None, auth_method="none",
            metadata_json={"redirect_uris": ["https://rp.example/cb"]}, updated_at=time.time(),
        ))
    fast = InlineSQLite(path, engine.dialect)
    client = op.load_client(fast, "c1")
    print(client.client_id, client.auth_method, client.metadata_json["redirect_uris"][0])
    client.auth_method = "client_secret_basic"
    print(client.auth_method)
    """
)


def test_a_row_loaded_first_thing_in_a_fresh_process_reads_and_writes(tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(tmp_path / "fresh.db")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.split("\n")[:2] == ["c1 none https://rp.example/cb", "client_secret_basic"]
