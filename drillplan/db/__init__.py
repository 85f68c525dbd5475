"""Persistence: SQLAlchemy models, engine factory, Alembic migrations, backup."""
