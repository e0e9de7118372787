"""Persistence: SQLAlchemy models, database sessions, the shared key-value store, migrations."""
