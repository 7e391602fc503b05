"""Alembic migrations of the service database, run programmatically to head at every start."""
