"""The store's data version: every write of records changes it, in the writer's transaction."""

from fusionatlas.dataset.package import load_package
from fusionatlas.domain import table
from fusionatlas.store.migrate import upgrade
from fusionatlas.store.version import data_version
from fusionatlas.store.write import write_records


def test_every_write_of_records_changes_the_version(engine, package):
    upgrade(engine)
    with engine.connect() as connection:
        assert data_version(connection) == ""  # nothing written through FusionAtlas yet
    load_package(engine, package)
    with engine.connect() as connection:
        loaded = data_version(connection)
    assert loaded
    load_package(engine, package)  # the same records again: still a write, still a new version
    with engine.connect() as connection:
        assert data_version(connection) not in ("", loaded)


def test_a_write_rolled_back_leaves_the_version(engine, package):
    load_package(engine, package)
    with engine.connect() as connection:
        before = data_version(connection)
        for _ in write_records(connection, table("organizations"), []):
            pass
        assert data_version(connection) != before  # the writer sees its own version
        connection.rollback()
        assert data_version(connection) == before
