"""Alembic revision scripts of the roster history store, oldest first."""
