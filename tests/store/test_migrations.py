"""The Alembic migrations and the schema derived from the domain never drift apart."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from fusionatlas.store.migrate import is_current, upgrade
from fusionatlas.store.schema import metadata


def test_migrations_build_exactly_the_models_schema(engine):
    assert not is_current(engine)
    upgrade(engine)
    assert is_current(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_upgrade_is_idempotent(engine):
    upgrade(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"organizations", "capabilities", "search_entries", "alembic_version"} <= tables
