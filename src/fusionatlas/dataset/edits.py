"""One-record edits from the web (an editor's change, an approved submission): validated like any import,
written with the store's upserts, and audit-logged with the record before and after, all in the caller's
transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from fusionatlas.dataset.imports import _validator
from fusionatlas.dataset.readers import Row
from fusionatlas.domain import Record, table
from fusionatlas.store.accounts import audit
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.write import write_records


def current_record(connection: Connection, table_name: str, record_id: str) -> dict[str, Any] | None:
    """A stored record in package form (the data package's field names), or None."""
    spec = table(table_name)
    db_table = TABLES_BY_NAME[spec.name]
    row = connection.execute(
        select(*(db_table.c[name] for name in spec.columns)).where(db_table.c.id == record_id)
    ).first()
    return dict(zip(spec.columns, row, strict=True)) if row else None


def validate_record(connection: Connection, table_name: str, values: dict[str, Any]) -> Record:
    """The record checked like an imported row (fields and references to the store); ValidationFailed if not."""
    spec = table(table_name)
    validator = _validator(connection, spec)
    records = list(validator.rows(spec, [Row(None, values)], table_name))
    validator.finish()
    return records[0]


def write_edit(
    connection: Connection, table_name: str, values: dict[str, Any], user_id: int | None
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Validate one record against the domain model and the store's references, upsert it, audit it.

    Returns (before, after). Raises ValidationFailed (a BadInput naming each field) when the record is
    wrong; the caller's transaction then writes nothing.
    """
    spec = table(table_name)
    record = validate_record(connection, spec.name, values)
    before = current_record(connection, spec.name, record.id)  # type: ignore[attr-defined]
    for _ in write_records(connection, spec, [record]):
        pass
    after = record.model_dump(mode="json")
    action = "create" if before is None else "update"
    audit(connection, user_id, action, spec.name, record.id, before, after)  # type: ignore[attr-defined]
    return before, after
