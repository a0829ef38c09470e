"""Alembic environment: runs against the engine handed over in the config's attributes."""

from alembic import context

from fusionatlas.store.schema import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
