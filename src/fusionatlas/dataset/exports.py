"""Export the whole store: one JSON file, a data-package folder of CSV (and YAML), or one XLSX workbook."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from fusionatlas.dataset.problems import BadInput
from fusionatlas.domain import TABLES, TableSpec
from fusionatlas.domain.audience import OPERATOR, Audience
from fusionatlas.store import queries

FORMATS = ("csv", "xlsx", "json")
# Text a spreadsheet would read as a formula (CSV injection, OWASP): =, +, -, @, and tab or carriage return.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text starting with a formula character gets a leading apostrophe
    (OWASP's CSV-injection recommendation). Numbers stay numbers: only text is changed."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def xlsx_values(sheet: Any, values: list[Any]) -> list[Any]:
    """A row for `sheet.append` in which formula-leading text is an explicit text cell, never a formula.

    openpyxl writes any text starting with '=' as a formula. Such text (and text starting with +, -, @, tab or
    CR) becomes a string cell with Excel's quote prefix (the stored form of a typed leading apostrophe): shown
    and read back exactly as written, and never evaluated, even after the cell is edited."""
    from openpyxl.cell import WriteOnlyCell

    row: list[Any] = []
    for value in values:
        if isinstance(value, str) and value.startswith(FORMULA_LEADS):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            cell.quotePrefix = True
            row.append(cell)
        else:
            row.append(value)
    return row


def snapshot(engine: Engine, audience: Audience = OPERATOR) -> dict[str, list[dict[str, Any]]]:
    """Every table as a list of package records sorted by key; empty fields None; lists as lists."""
    with engine.connect() as connection:
        return {spec.name: [_clean(r) for r in queries.records(connection, spec.name, audience)] for spec in TABLES}


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if v == "" else v) for k, v in record.items()}


def cell(value: Any, as_json: bool = False) -> Any:
    """A value as a CSV or spreadsheet cell: lists joined by ';', booleans true/false, None blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if as_json or any(isinstance(item, dict) for item in value):
            return json.dumps(value, ensure_ascii=False) if value else ""
        return ";".join(str(item) for item in value)
    return value


def export(engine: Engine, out: Path, fmt: str, audience: Audience = OPERATOR) -> dict[str, int]:
    """Write the store to `out` in `fmt`; returns the number of records per table."""
    if fmt not in FORMATS:
        raise BadInput(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    data = snapshot(engine, audience)
    if fmt == "json":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elif fmt == "csv":
        _write_package(out, data)
    else:
        _write_workbook(out, data)
    return {name: len(rows) for name, rows in data.items()}


def _write_package(folder: Path, data: dict[str, list[dict[str, Any]]]) -> None:
    """The data package: CSV written raw, not formula-neutralised, so that `load` reads back exactly what was
    exported (a leading apostrophe would become part of the text). Open it in a spreadsheet with care, or export
    XLSX, whose cells are never formulas (docs/data-guide.md)."""
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"{folder}: exists and is not a folder (a CSV export writes a data-package folder)")
    folder.mkdir(parents=True, exist_ok=True)
    for spec in TABLES:
        rows = data[spec.name]
        path = folder / spec.filename
        if spec.filename.endswith(".yaml"):
            path.write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False), encoding="utf-8")
            continue
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(spec.columns)
            for row in rows:
                writer.writerow([cell(row[c]) for c in spec.columns])


def _write_workbook(path: Path, data: dict[str, list[dict[str, Any]]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for spec in TABLES:
        sheet = book.create_sheet(spec.name)
        sheet.append(spec.columns)
        for row in data[spec.name]:
            sheet.append(xlsx_values(sheet, [_xlsx_cell(spec, c, row[c]) for c in spec.columns]))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _xlsx_cell(spec: TableSpec, column: str, value: Any) -> Any:
    # Technology targets are structured: a JSON text cell that import reads back.
    converted = cell(value, as_json=column == "targets")
    return None if converted == "" else converted
