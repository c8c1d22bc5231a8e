"""Alembic migrations of the diary schema (run by ``spasmcare db upgrade`` or :func:`..db.upgrade`)."""
