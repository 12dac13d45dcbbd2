"""A SQLite file with the schema, for the inline runner's tests. (The asyncpg runner's
tests define their own `engine`, on PostgreSQL.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from ansattporten.store.models import Base


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'store.db'}")
    Base.metadata.create_all(engine)
    with engine.connect():  # the dialect learns the SQLite version, as the store does
        pass
    yield engine
    engine.dispose()
