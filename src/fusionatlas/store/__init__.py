"""The store: SQLAlchemy tables over SQLite or PostgreSQL, Alembic migrations, writes and queries."""
