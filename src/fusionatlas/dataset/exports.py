"""Export the whole store: one JSON file, a data-package folder of CSV (and YAML), or one XLSX workbook."""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from fusionatlas.dataset.problems import BadInput
from fusionatlas.domain import TABLES, TableSpec
from fusionatlas.domain.audience import OPERATOR, Audience
from fusionatlas.store import queries

FORMATS = ("csv", "xlsx", "json")
LICENCE = "CC BY 4.0 — https://creativecommons.org/licenses/by/4.0/"
MAX_WIDTH = 60  # characters: longer text wraps in its cell rather than widening the column
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


def display_width(value: Any) -> int:
    """Columns a value takes in a spreadsheet, a Japanese (wide) character counting as two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


WIDTH_SAMPLE = 1000  # rows read for column widths: a 500,000-row sheet is sized by its first rows


def finish_sheet(sheet: Any, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Column widths from the longest value among the first rows (capped), the header frozen, an autofilter
    over `count` rows. In a write-only workbook call it before appending any row (widths must come first)."""
    from openpyxl.utils import get_column_letter

    widths = [display_width(h) for h in header]
    count = 0
    for row in rows:
        count += 1
        if count <= WIDTH_SAMPLE:
            for i, value in enumerate(row[: len(widths)]):
                widths[i] = max(widths[i], display_width(getattr(value, "value", value)))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"


def bold_header(sheet: Any, header: Sequence[Any]) -> list[Any]:
    """The header row as bold cells (for `sheet.append`, in normal and write-only workbooks alike)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for value in xlsx_values(sheet, list(header)):
        cell = value if hasattr(value, "font") else WriteOnlyCell(sheet, value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def add_about_sheet(
    book: Any, title: str, entries: Sequence[tuple[str, Any]], sources: Sequence[dict[str, Any]], columns: Sequence[str]
) -> None:
    """An "about" sheet, first in the workbook: what the export holds, its filters, as-of date and licence
    (`entries`, labelled in the reader's language), then the sources its rows cite under `columns` (the
    headings of id, title, publisher, date, address). Works in normal and write-only workbooks."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title[:31], 0)
    if not getattr(book, "write_only", False):
        book.active = 1  # the workbook opens on its table; the about sheet is the first tab
    source_rows = [[s.get("id"), s.get("title"), s.get("publisher"), s.get("date"), s.get("url")] for s in sources]
    every = [[label, value] for label, value in entries] + source_rows + [list(columns)]
    for i in range(len(columns)):
        width = max(display_width(row[i]) for row in every if i < len(row))
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(max(width + 2, 10), MAX_WIDTH)
    for label, value in entries:
        sheet.append([*bold_header(sheet, [label]), *xlsx_values(sheet, [value])])
    if source_rows:
        sheet.append([])
        sheet.append(bold_header(sheet, columns))
    for row in source_rows:
        sheet.append(xlsx_values(sheet, row))


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
        _write_workbook(out, data, audience)
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


def _write_workbook(path: Path, data: dict[str, list[dict[str, Any]]], audience: Audience = OPERATOR) -> None:
    """One sheet per table, headers the data package's column names (so that `import` reads a sheet back),
    each with its widths, frozen header and autofilter; and an "about" sheet first. Bilingual labels: the
    CLI writes one workbook for readers of either language."""
    from datetime import UTC, datetime

    from openpyxl import Workbook

    book = Workbook(write_only=True)  # streamed: the synthetic atlas has 610,000 rows
    for spec in TABLES:
        sheet = book.create_sheet(spec.name)
        sample = [[_xlsx_cell(spec, c, row[c]) for c in spec.columns] for row in data[spec.name][:WIDTH_SAMPLE]]
        finish_sheet(sheet, spec.columns, sample)
        sheet.auto_filter.ref = sheet.auto_filter.ref.rsplit(":", 1)[0] + ":" + _last_cell(spec, data)
        sheet.append(bold_header(sheet, spec.columns))
        for row in data[spec.name]:
            sheet.append(xlsx_values(sheet, [_xlsx_cell(spec, c, row[c]) for c in spec.columns]))
    counts = ", ".join(f"{spec.name} {len(data[spec.name])}" for spec in TABLES)
    entries = [
        ("What / 内容", "FusionAtlas: every table of the atlas / 全テーブル"),
        ("Records / 件数", counts),
        (
            "Filters / 条件",
            "public records only / 公開レコードのみ" if audience.level == 0 else "all records / 全レコード",
        ),
        ("As of / 時点", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("Licence / ライセンス", LICENCE),
        ("Sources / 出典", "the sources sheet / sources シート"),
    ]
    add_about_sheet(book, "about", entries, [], ["id", "title", "publisher", "date", "url"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _last_cell(spec: TableSpec, data: dict[str, list[dict[str, Any]]]) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(len(spec.columns))}{len(data[spec.name]) + 1}"


def _xlsx_cell(spec: TableSpec, column: str, value: Any) -> Any:
    # Technology targets are structured: a JSON text cell that import reads back.
    converted = cell(value, as_json=column == "targets")
    return None if converted == "" else converted
