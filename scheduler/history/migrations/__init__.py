"""Alembic migrations of the roster history store, shipped with the package."""
