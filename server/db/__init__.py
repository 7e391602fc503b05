"""Service metadata: SQLAlchemy models, the engine with its locking discipline, and migrations."""
