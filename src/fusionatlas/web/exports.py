"""Downloads shared by every page: tables as CSV or XLSX, charts as SVG."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from fusionatlas.dataset.exports import formula_safe, xlsx_values

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_FORMATS = ("csv", "xlsx")


def _cell(value: Any) -> Any:
    """Lists become `;`-separated text, as in the data package."""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Japanese Excel needs it); text that a spreadsheet would run as a
    formula gets a leading apostrophe (OWASP), numbers stay numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([formula_safe(name) for name in header])
    writer.writerows([formula_safe(_cell(value)) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """One row of a worksheet; formula-leading text is written as a text cell, never as a formula."""
    sheet.append(xlsx_values(sheet, [_cell(value) for value in values]))


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def table_response(
    fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str | None = None
) -> Response:
    """A table as `name.csv` (UTF-8 with a byte-order mark, which Japanese Excel needs) or `name.xlsx`."""
    if fmt == "csv":
        return Response(
            csv_bytes(header, rows),
            media_type="text/csv; charset=utf-8",
            headers=_attachment(f"{name}.csv"),
        )
    if fmt != "xlsx":
        raise ValueError(f"unknown table format {fmt!r}")
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = (sheet or name)[:31]  # Excel's limit on sheet names
    append_row(worksheet, header)
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(worksheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(buffer.getvalue(), media_type=XLSX, headers=_attachment(f"{name}.xlsx"))


def records_response(
    fmt: str, name: str, columns: Sequence[str], records: Iterable[dict[str, Any]], sheet: str | None = None
) -> Response:
    """Dictionaries as a table with the given columns."""
    return table_response(fmt, name, columns, ([record.get(c) for c in columns] for record in records), sheet)


def svg_response(svg: str, name: str) -> Response:
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg, media_type="image/svg+xml", headers=_attachment(f"{name}.svg")
    )
