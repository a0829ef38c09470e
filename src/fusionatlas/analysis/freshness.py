"""How current the atlas is: when each record was last verified, and the data's as-of date.

A record's last verification is its own `last_verified` when filled, otherwise the latest `accessed` date of
the sources it cites: re-reading a source re-verifies every record that cites it, so the bundled CSVs need
no per-row date (docs/data-guide.md, "Last verified").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, func, select

from fusionatlas.store.schema import TABLES_BY_NAME


def source_dates(connection: Connection) -> dict[str, str]:
    """The `accessed` date of every source that has one (sources are public: no audience needed)."""
    sources = TABLES_BY_NAME["sources"]
    query = select(sources.c.id, sources.c.accessed).where(sources.c.accessed.is_not(None))
    return {row.id: row.accessed for row in connection.execute(query)}


def last_verified(own: str | None, source_ids: Iterable[str] | None, accessed: Mapping[str, str]) -> str | None:
    """The record's own date, else the latest access date among its sources; None when neither exists."""
    if own:
        return own
    dates = [accessed[s] for s in source_ids or () if s in accessed]
    return max(dates) if dates else None


def record_last_verified(connection: Connection, record: Mapping[str, Any]) -> str | None:
    """`last_verified` for one record read as a dict (a record page's row)."""
    ids = list(record.get("source_ids") or [])
    sources = TABLES_BY_NAME["sources"]
    accessed = {}
    if ids and not record.get("last_verified"):
        query = select(sources.c.id, sources.c.accessed).where(sources.c.id.in_(ids))
        accessed = {row.id: row.accessed for row in connection.execute(query) if row.accessed}
    return last_verified(record.get("last_verified"), ids, accessed)


def data_as_of(connection: Connection) -> str | None:
    """The data's as-of date: the latest day any source was read (None for an atlas without access dates).

    Only sources count: they are public, so the date shown to every visitor cannot move with records the
    visitor may not see."""
    sources = TABLES_BY_NAME["sources"]
    value = connection.execute(select(func.max(sources.c.accessed))).scalar_one_or_none()
    return str(value) if value else None
