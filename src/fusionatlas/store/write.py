"""Writes: batched upserts of validated records, with their search entries, inside a caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from fusionatlas.domain import Record, TableSpec
from fusionatlas.store.schema import TABLES_BY_NAME, search_entries
from fusionatlas.store.version import bump
from fusionatlas.text import normalize

BATCH = 5000
# Fields whose words make a record findable, by prefix, in the order they are shown in snippets.
_SEARCHABLE = ("name_", "title", "synonyms_", "description_", "evidence_", "approach_", "body", "definition")
# Columns of controlled codes (domain/values.py FundingDefinition), not words anybody searches for.
_CODED = {("programmes", "definition")}


def _upsert(connection: Connection, table: Table, key: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    insert = sqlite_insert if connection.dialect.name == "sqlite" else pg_insert
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(key),
        set_={c.name: statement.excluded[c.name] for c in table.columns if c.name not in key},
    )
    if connection.dialect.name == "sqlite" and rows:
        _sqlite_executemany(connection, statement, table, rows)
    else:
        connection.execute(statement, rows)


def _sqlite_executemany(connection: Connection, statement: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """The statement compiled once and its rows handed to the driver as tuples.

    SQLAlchemy builds a parameter dict per row through its compiler, about a sixth of a bulk load's time
    (measured on 610,000 rows); the columns' own bind processors (JSON, booleans) still convert values.
    """
    keys = list(rows[0])
    compiled = statement.compile(dialect=connection.dialect, column_keys=keys)
    order = list(compiled.positiontup or [])
    processors = [(i, table.c[name].type.bind_processor(connection.dialect)) for i, name in enumerate(order)]
    processors = [(i, process) for i, process in processors if process is not None]
    take = itemgetter(*order) if len(order) > 1 else (lambda row: (row[order[0]],))
    converted: list[tuple[Any, ...]] = []
    for row in rows:
        values = take(row)
        if processors:
            changed = list(values)
            for i, process in processors:
                changed[i] = process(changed[i])
            values = tuple(changed)
        converted.append(values)
    connection.exec_driver_sql(compiled.string, converted)


def search_entry(spec: TableSpec, values: dict[str, Any]) -> dict[str, Any] | None:
    """The search row of a record (given as its stored values): its names and everything worth finding it by."""
    if spec.key != ("id",):
        return None
    parts: list[str] = []
    for name, value in values.items():
        if name.startswith(_SEARCHABLE) and value and (spec.name, name) not in _CODED:
            parts.extend(value if isinstance(value, list) else [str(value)])
    body = " | ".join(parts)
    name_en = values.get("name_en") or values.get("title_en") or values.get("title") or values.get("description_en")
    name_ja = values.get("name_ja") or values.get("title_ja") or values.get("description_ja")
    return {
        "table_name": spec.name,
        "record_id": values["id"],
        "name_en": name_en,
        "name_ja": name_ja,
        "visibility": values.get("visibility") or "public",
        "owner_id": values.get(spec.owner) if spec.owner else None,
        "co_owner_id": values.get(spec.co_owner) if spec.co_owner else None,
        "body": body,
        "norm": normalize(body),
    }


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def write_records(connection: Connection, spec: TableSpec, records: Iterable[Record]) -> Iterator[int]:
    """Upsert records in batches; yields the size of each batch written, for progress bars.

    Changes the store's data version too: the web app's cached pages then recompute on their next request.
    """
    table = TABLES_BY_NAME[spec.name]
    bump(connection)
    for batch in _batches(records, BATCH):
        rows = [r.model_dump(mode="json") for r in batch]
        _upsert(connection, table, spec.key, rows)
        entries = [e for e in (search_entry(spec, row) for row in rows) if e is not None]
        if entries:
            _upsert(connection, search_entries, ("table_name", "record_id"), entries)
        yield len(batch)


def parents_first(records: list[Any], field: str = "parent") -> list[Any]:
    """Records of a self-referencing table (the technology tree's `parent`, a programme's `part_of`) ordered so
    that every record is written before those that name it in `field` (foreign keys)."""
    by_id = {r.id: r for r in records}
    depth: dict[str, int] = {}

    def depth_of(record_id: str, seen: frozenset[str] = frozenset()) -> int:
        if record_id not in depth:
            parent = getattr(by_id[record_id], field)
            inside = parent in by_id and parent not in seen
            depth[record_id] = depth_of(parent, seen | {record_id}) + 1 if inside else 0
        return depth[record_id]

    return sorted(records, key=lambda r: depth_of(r.id))
