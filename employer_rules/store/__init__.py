"""The service's own database: SQLAlchemy models, Alembic migrations and the
repositories the web layer calls (`RuleStore`, `SessionStore`)."""
