"""Alembic migrations: env.py runs them, versions/ holds one file per schema change (see assess.db.schema)."""
