"""Persistence: the `Store` and its named operations over the typed records.

SQLAlchemy appears only in `schema` and the Alembic migrations; at run time the store
sends plain SQL on the driver (`sqlite3` inline, or asyncpg).
"""

from ansattporten.store.store import Store

__all__ = ["Store"]
