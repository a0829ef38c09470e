"""The store's data version: a token that every write of records changes, so that readers may keep results.

Reading it is one primary-key lookup, where comparing row counts took a COUNT over every table. It is
kept in `site_settings`, so every worker process and the CLI see the same value.
"""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import Connection, column, select, table

DATA_VERSION = "data_version"
# The columns read here, without the whole schema (store/accounts.py declares the table): `match` from a cold
# process reads the version before anything else and should not pay for importing every table's model.
_settings = table("site_settings", column("name"), column("value"))


def data_version(connection: Connection) -> str:
    """The current token ("" before the first write through FusionAtlas)."""
    query = select(_settings.c.value).where(_settings.c.name == DATA_VERSION)
    return connection.execute(query).scalar_one_or_none() or ""


def bump(connection: Connection) -> None:
    """A new token, in the caller's transaction: readers see it together with the records written."""
    # A random token rather than a counter: no read-modify-write, so concurrent writers need no care.
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from fusionatlas.store.accounts import site_settings

    insert = sqlite_insert if connection.dialect.name == "sqlite" else pg_insert
    statement = insert(site_settings).values(name=DATA_VERSION, value=uuid4().hex)
    connection.execute(
        statement.on_conflict_do_update(index_elements=["name"], set_={"value": statement.excluded.value})
    )
